//! Logs: `tracing` events on standard error, as text or one JSON object per line.
//!
//! The filter is `--log-level` when given, else `RUST_LOG`, else `info`. What is logged is
//! chosen where it is logged: request bodies, key material, passwords and the store URL's
//! password never are (the store location is logged redacted).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::{ConfigError, LogFormat};

/// Installs the global subscriber. A filter that does not parse is a configuration
/// error.
pub fn init(level: Option<&str>, format: LogFormat) -> Result<(), ConfigError> {
    let filter = filter(level)?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true);
    let result = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    result.map_err(|e| ConfigError::Invalid(format!("cannot install the logger: {e}")))
}

const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

/// The filter for `level`, else `RUST_LOG`, else `info`.
fn filter(level: Option<&str>) -> Result<EnvFilter, ConfigError> {
    match level {
        Some(level) => {
            // A lone word would be read as a target name ("verbose" = everything from a
            // module called verbose): almost always a mistyped level.
            let word = !level.contains(['=', ',', '[', ':']);
            if word && !LEVELS.contains(&level.trim().to_ascii_lowercase().as_str()) {
                return Err(ConfigError::Invalid(format!(
                    "log-level {level:?}: expected one of {} or tracing directives",
                    LEVELS.join(", ")
                )));
            }
            EnvFilter::try_new(level)
                .map_err(|e| ConfigError::Invalid(format!("log-level {level:?}: {e}")))
        }
        None => match std::env::var("RUST_LOG") {
            Ok(env) if !env.trim().is_empty() => EnvFilter::try_new(&env)
                .map_err(|e| ConfigError::Invalid(format!("RUST_LOG {env:?}: {e}"))),
            _ => Ok(EnvFilter::new("info")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_levels_and_directives() {
        assert!(filter(Some("debug")).is_ok());
        assert!(filter(Some("info,kms_rest=trace")).is_ok());
    }

    #[test]
    fn rejects_a_mistyped_level() {
        let err = filter(Some("verbose")).unwrap_err().to_string();
        assert!(err.contains("verbose") && err.contains("debug"), "{err}");
    }
}
