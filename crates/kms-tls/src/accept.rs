//! Accepting connections: a handshake bounded in time, and a cap on open connections.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::error::TlsError;
use crate::identity::ClientIdentity;

/// Runs the TLS handshake on `tcp` and reads the client's identity from its verified
/// certificate.
///
/// The whole handshake must finish within `timeout`: a peer that connects and then
/// sends nothing, or sends slowly, is dropped (RELIABILITY check 3). On any error the
/// TCP connection is closed when this returns. Run it in its own task per connection,
/// so a slow handshake never holds up the accept loop.
pub async fn accept(
    acceptor: &TlsAcceptor,
    tcp: TcpStream,
    timeout: Duration,
) -> Result<(TlsStream<TcpStream>, ClientIdentity), TlsError> {
    let stream = tokio::time::timeout(timeout, acceptor.accept(tcp))
        .await
        .map_err(|_| TlsError::HandshakeTimeout(timeout))?
        .map_err(TlsError::Handshake)?;
    let identity = ClientIdentity::from_connection(stream.get_ref().1)?;
    Ok((stream, identity))
}

/// A cap on the connections open at once, shared by an accept loop and its connection
/// tasks (clones share the cap).
///
/// The loop calls [`try_acquire`](Self::try_acquire) right after `accept()` returns: over
/// the cap it closes the new socket at once instead of waiting, so accepting never stalls
/// and the listen backlog keeps draining. The permit moves into the connection's task
/// and frees its slot when dropped.
#[derive(Debug, Clone)]
pub struct ConnectionLimit {
    permits: Arc<Semaphore>,
    max: usize,
}

impl ConnectionLimit {
    /// A cap of `max` connections (at most [`Semaphore::MAX_PERMITS`]; more is clamped).
    pub fn new(max: usize) -> ConnectionLimit {
        let max = max.min(Semaphore::MAX_PERMITS);
        ConnectionLimit {
            permits: Arc::new(Semaphore::new(max)),
            max,
        }
    }

    /// A slot for one connection, or `None` when `max` connections are open. Never waits.
    pub fn try_acquire(&self) -> Option<ConnectionPermit> {
        self.permits
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|permit| ConnectionPermit { _permit: permit })
    }

    /// The cap.
    pub fn max(&self) -> usize {
        self.max
    }

    /// How many connections are open now.
    pub fn in_use(&self) -> usize {
        self.max - self.permits.available_permits()
    }
}

/// One connection's slot under a [`ConnectionLimit`]; the slot frees when this drops.
#[derive(Debug)]
pub struct ConnectionPermit {
    _permit: OwnedSemaphorePermit,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn refuses_over_the_cap_and_frees_on_drop() {
        let limit = ConnectionLimit::new(2);
        let a = limit.try_acquire().unwrap();
        let b = limit.clone().try_acquire().unwrap();
        assert_eq!(limit.in_use(), 2);
        assert!(limit.try_acquire().is_none());
        drop(a);
        assert_eq!(limit.in_use(), 1);
        let _c = limit.try_acquire().unwrap();
        assert!(limit.try_acquire().is_none());
        drop(b);
        assert_eq!(limit.max(), 2);
    }

    #[test]
    fn zero_refuses_everything() {
        assert!(ConnectionLimit::new(0).try_acquire().is_none());
    }
}
