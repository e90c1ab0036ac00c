//! KMIP 2.0 session operations: Login, Logout and Delegated Login, which trade
//! credentials for a Ticket, and Log, which writes to the server's log (KMIP 2.0 §6.1).

use crate::UniqueId;
use crate::credential::Ticket;
use crate::{Interval, Operation};

kmip_struct! {
    /// Login request: a ticket for later requests, instead of credentials.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct LoginRequest {
        /// How long the ticket is valid.
        opt lease_time: Interval = LEASE_TIME,
        /// For how many requests.
        opt request_count: i32 = REQUEST_COUNT,
    }
}

kmip_struct! {
    /// Login and Delegated Login response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct LoginResponse {
        /// The ticket.
        req ticket: Ticket = TICKET,
    }
}

kmip_struct! {
    /// Logout request: the ticket is no longer valid.
    #[derive(Debug, PartialEq, Eq)]
    pub struct LogoutRequest {
        /// The ticket to invalidate.
        req ticket: Ticket = TICKET,
    }
}

/// Logout response.
pub type LogoutResponse = super::EmptyPayload;

kmip_struct! {
    /// Delegated Login request: a ticket with a subset of the client's rights, for
    /// another party.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DelegatedLoginRequest {
        /// How long the ticket is valid.
        opt lease_time: Interval = LEASE_TIME,
        /// For how many requests.
        opt request_count: i32 = REQUEST_COUNT,
        /// What the ticket allows.
        req rights: Rights = RIGHTS,
    }
}

/// Delegated Login response.
pub type DelegatedLoginResponse = LoginResponse;

kmip_struct! {
    /// Rights (KMIP 2.0): what a delegated ticket allows.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Rights {
        /// Each right.
        vec rights: Right = RIGHT,
    }
}

kmip_struct! {
    /// Right (KMIP 2.0): some operations on some objects; all of either when absent.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Right {
        /// The operations allowed.
        opt operations: RightOperations = OPERATIONS,
        /// The objects they are allowed on.
        opt objects: RightObjects = OBJECTS,
    }
}

kmip_struct! {
    /// The Operations of a [`Right`].
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RightOperations {
        /// Operations.
        vec operations: Operation = OPERATION,
    }
}

kmip_struct! {
    /// The Objects of a [`Right`].
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RightObjects {
        /// Objects.
        vec unique_identifiers: UniqueId = UNIQUE_IDENTIFIER,
    }
}

kmip_struct! {
    /// Log request: a message for the server's log.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct LogRequest {
        /// The message.
        req log_message: String = LOG_MESSAGE,
    }
}

/// Log response.
pub type LogResponse = super::EmptyPayload;
