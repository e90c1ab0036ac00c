//! What a handler answers: a status, a body and its content type. The server adds the
//! headers every response carries (`X-Request-Id`, `Content-Length`).

use std::fmt;

use http::StatusCode;
use serde::Serialize;

use crate::error::ApiError;

/// A successful answer.
pub(crate) struct Response {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The body (empty for 204).
    pub(crate) body: Vec<u8>,
    /// The body's content type (ignored when the body is empty).
    pub(crate) content_type: &'static str,
}

/// The content type of JSON answers.
pub(crate) const JSON: &str = "application/json";

impl Response {
    /// `value` as JSON with `status`.
    pub(crate) fn json(status: StatusCode, value: &impl Serialize) -> Result<Response, ApiError> {
        let body = serde_json::to_vec(value).map_err(|_| ApiError::internal())?;
        Ok(Response {
            status,
            body,
            content_type: JSON,
        })
    }

    /// 204 No Content.
    pub(crate) fn no_content() -> Response {
        Response {
            status: StatusCode::NO_CONTENT,
            body: Vec::new(),
            content_type: JSON,
        }
    }

    /// Any body with its content type.
    pub(crate) fn bytes(status: StatusCode, body: Vec<u8>, content_type: &'static str) -> Response {
        Response {
            status,
            body,
            content_type,
        }
    }
}

/// Bodies may hold plaintexts and key material: only their length is shown.
impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}
