//! Which operation a method and path name, for both path families:
//! `/v1/servicekey...` (the domain comes from the client certificate) and
//! `/api/{okmsId}/v1/servicekey...`.

use http::{Method, StatusCode};

use crate::error::{ApiError, Category};

/// An operation of the API, with the key id from the path where there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// POST /servicekey
    CreateKey,
    /// GET /servicekey
    ListKeys,
    /// GET /servicekey/{keyId}
    GetKey(String),
    /// PATCH /servicekey/{keyId}
    PatchKey(String),
    /// DELETE /servicekey/{keyId}
    DeleteKey(String),
    /// POST /servicekey/{keyId}/activate
    Activate(String),
    /// POST /servicekey/{keyId}/deactivate
    Deactivate(String),
    /// POST /servicekey/{keyId}/encrypt
    Encrypt(String),
    /// POST /servicekey/{keyId}/decrypt
    Decrypt(String),
    /// POST /servicekey/{keyId}/datakey
    DataKey(String),
    /// POST /servicekey/{keyId}/datakey/decrypt
    DataKeyDecrypt(String),
    /// POST /servicekey/{keyId}/sign
    Sign(String),
    /// POST /servicekey/{keyId}/verify
    Verify(String),
    /// GET /random
    Random,
    /// GET /healthz (no domain prefix)
    Health,
    /// GET /api/openapi.yaml (no domain prefix)
    OpenApi,
}

impl Route {
    /// The operation's name, for logs and metrics (the OpenAPI operationId where there
    /// is one; never the key id).
    pub fn name(&self) -> &'static str {
        match self {
            Route::CreateKey => "CreateImportServiceKey",
            Route::ListKeys => "ListServiceKeys",
            Route::GetKey(_) => "GetServiceKey",
            Route::PatchKey(_) => "PatchServiceKey",
            Route::DeleteKey(_) => "DeleteServiceKey",
            Route::Activate(_) => "ActivateServiceKey",
            Route::Deactivate(_) => "DeactivateServiceKey",
            Route::Encrypt(_) => "Encrypt",
            Route::Decrypt(_) => "Decrypt",
            Route::DataKey(_) => "GenerateDataKey",
            Route::DataKeyDecrypt(_) => "DecryptDataKey",
            Route::Sign(_) => "Sign",
            Route::Verify(_) => "Verify",
            Route::Random => "GenerateRandomBytes",
            Route::Health => "Health",
            Route::OpenApi => "OpenApi",
        }
    }
}

/// The route for `method` and `path` (without the query), and the `okmsId` of the path
/// when the `/api/{okmsId}` family was used. Unknown paths are 404, known paths with
/// another method 405.
pub fn route(method: &Method, path: &str) -> Result<(Option<String>, Route), ApiError> {
    let not_found = ApiError::not_found;
    match path {
        "/healthz" => return only(method, Method::GET, Route::Health).map(|r| (None, r)),
        "/api/openapi.yaml" => return only(method, Method::GET, Route::OpenApi).map(|r| (None, r)),
        _ => {}
    }
    let segments: Vec<&str> = path.split('/').collect();
    let (domain, rest): (Option<String>, &[&str]) = match segments.as_slice() {
        ["", "v1", rest @ ..] => (None, rest),
        ["", "api", okms_id, "v1", rest @ ..] if !okms_id.is_empty() => {
            (Some((*okms_id).to_owned()), rest)
        }
        _ => return Err(not_found()),
    };
    let key = |id: &&str| -> Result<String, ApiError> {
        if id.is_empty() || id.len() > 128 {
            Err(not_found())
        } else {
            Ok((*id).to_owned())
        }
    };
    let m = method;
    let r = match rest {
        ["random"] => only(m, Method::GET, Route::Random)?,
        ["servicekey"] => match *m {
            Method::POST => Route::CreateKey,
            Method::GET => Route::ListKeys,
            _ => return Err(not_allowed()),
        },
        ["servicekey", id] => match *m {
            Method::GET => Route::GetKey(key(id)?),
            Method::PATCH => Route::PatchKey(key(id)?),
            Method::DELETE => Route::DeleteKey(key(id)?),
            _ => return Err(not_allowed()),
        },
        ["servicekey", id, "activate"] => only(m, Method::POST, Route::Activate(key(id)?))?,
        ["servicekey", id, "deactivate"] => only(m, Method::POST, Route::Deactivate(key(id)?))?,
        ["servicekey", id, "encrypt"] => only(m, Method::POST, Route::Encrypt(key(id)?))?,
        ["servicekey", id, "decrypt"] => only(m, Method::POST, Route::Decrypt(key(id)?))?,
        ["servicekey", id, "datakey"] => only(m, Method::POST, Route::DataKey(key(id)?))?,
        ["servicekey", id, "datakey", "decrypt"] => {
            only(m, Method::POST, Route::DataKeyDecrypt(key(id)?))?
        }
        ["servicekey", id, "sign"] => only(m, Method::POST, Route::Sign(key(id)?))?,
        ["servicekey", id, "verify"] => only(m, Method::POST, Route::Verify(key(id)?))?,
        _ => return Err(not_found()),
    };
    Ok((domain, r))
}

fn only(method: &Method, expected: Method, route: Route) -> Result<Route, ApiError> {
    if *method == expected {
        Ok(route)
    } else {
        Err(not_allowed())
    }
}

fn not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        Category::Argument,
        3,
        "method not allowed",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_families() {
        let (d, r) = route(&Method::POST, "/v1/servicekey/abc/encrypt").unwrap();
        assert_eq!((d, r), (None, Route::Encrypt("abc".into())));
        let (d, r) = route(
            &Method::POST,
            "/api/0000-11/v1/servicekey/abc/datakey/decrypt",
        )
        .unwrap();
        assert_eq!(
            (d.as_deref(), r),
            (Some("0000-11"), Route::DataKeyDecrypt("abc".into()))
        );
        assert_eq!(
            route(&Method::GET, "/v1/servicekey").unwrap().1,
            Route::ListKeys
        );
        assert_eq!(
            route(&Method::GET, "/v1/nope").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            route(&Method::PUT, "/v1/servicekey/x").unwrap_err().status,
            StatusCode::METHOD_NOT_ALLOWED
        );
    }
}
