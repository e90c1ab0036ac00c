//! Query strings: `name=value` pairs split on `&`, percent-decoded (`+` is a space).
//! Parameters the API does not define are ignored; a parameter given twice is refused.

use crate::error::ApiError;

/// The longest query string read.
const MAX_QUERY_LEN: usize = 2048;

/// The value of parameter `name`, if present. A malformed or repeated parameter is a
/// 400 naming it.
pub(crate) fn param(query: &str, name: &str) -> Result<Option<String>, ApiError> {
    if query.len() > MAX_QUERY_LEN {
        return Err(ApiError::bad_request("query string too long"));
    }
    let mut found = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if decode(key).as_deref() != Some(name) {
            continue;
        }
        if found.is_some() {
            return Err(ApiError::bad_request(format!(
                "{name}: given more than once"
            )));
        }
        let value = decode(value)
            .ok_or_else(|| ApiError::bad_request(format!("{name}: malformed encoding")))?;
        found = Some(value);
    }
    Ok(found)
}

/// Percent-decodes `text` as UTF-8; `None` when malformed.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn finds_decodes_and_refuses_repeats() {
        assert_eq!(
            param("state=active&max=10", "max").unwrap().as_deref(),
            Some("10")
        );
        assert_eq!(param("a=%41%2b+b", "a").unwrap().as_deref(), Some("A+ b"));
        assert_eq!(param("", "a").unwrap(), None);
        assert_eq!(param("flag", "flag").unwrap().as_deref(), Some(""));
        assert!(param("a=1&a=2", "a").is_err());
        assert!(param("a=%4", "a").is_err());
        assert!(param("a=%ff", "a").is_err());
    }
}
