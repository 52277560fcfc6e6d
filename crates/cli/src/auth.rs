//! Where the access token comes from (`--token-file`, else `HUBSPOT_ACCESS_TOKEN`), and how it
//! is kept out of everything the CLI prints.
//!
//! The token is read into the client's `AccessToken`, which never prints; errors about the
//! token name its source, never its value. The source is remembered for the process, so that
//! HubSpot rejecting the token (401) can say which variable or file to fix.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hubspot_postal::AccessToken;

use crate::error::CliError;

/// The environment variable the token is read from.
pub const TOKEN_ENV: &str = "HUBSPOT_ACCESS_TOKEN";

/// Where the token was found, for `--verbose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `HUBSPOT_ACCESS_TOKEN`.
    Env,
    /// `--token-file`.
    File(PathBuf),
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Env => write!(f, "the {TOKEN_ENV} environment variable"),
            Self::File(p) => write!(f, "the file {}", p.display()),
        }
    }
}

/// Where this process's token came from; a process resolves one token.
static SOURCE: OnceLock<TokenSource> = OnceLock::new();

/// Where the token in use came from, once [`resolve`] has found one.
pub fn source() -> Option<&'static TokenSource> {
    SOURCE.get()
}

/// The token: from `token_file` when given (an explicit flag wins over the environment),
/// else from `HUBSPOT_ACCESS_TOKEN`. A token that cannot be sent (empty, pasted with its
/// `Bearer ` prefix, with spaces) is refused here, naming its source and not its value.
pub fn resolve(token_file: Option<&Path>) -> Result<(AccessToken, TokenSource), CliError> {
    let (token, source) = find(token_file)?;
    if let Some(problem) = token.problem() {
        return Err(CliError::Usage(format!(
            "the access token in {source} {problem}"
        )));
    }
    let _ = SOURCE.set(source.clone());
    Ok((token, source))
}

fn find(token_file: Option<&Path>) -> Result<(AccessToken, TokenSource), CliError> {
    if let Some(path) = token_file {
        let bytes = std::fs::read(path).map_err(|e| CliError::io("reading", path, e))?;
        // Say what is wrong without echoing any of the file, which is a secret.
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::Usage(format!(
                "the token file {} is not UTF-8 text",
                path.display()
            ))
        })?;
        return Ok((AccessToken::new(text), TokenSource::File(path.to_owned())));
    }
    match std::env::var(TOKEN_ENV) {
        Ok(value) if !value.trim().is_empty() => Ok((AccessToken::new(value), TokenSource::Env)),
        _ => Err(CliError::Usage(format!(
            "no access token: set {TOKEN_ENV} or pass --token-file PATH"
        ))),
    }
}

/// `text` with every occurrence of the token replaced, as a last line of defence: HubSpot or
/// a proxy could echo a header back in an error body. Very short tokens are left alone, since
/// replacing a common fragment would garble the message and protect nothing.
pub fn redact(text: &str, token: Option<&AccessToken>) -> String {
    match token.map(AccessToken::expose_secret) {
        Some(secret) if secret.len() >= 4 => text.replace(secret, "<token>"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_the_token() {
        let t = AccessToken::new("pat-na1-secret");
        assert_eq!(
            redact("bad pat-na1-secret here", Some(&t)),
            "bad <token> here"
        );
        assert_eq!(redact("plain", None), "plain");
    }

    #[test]
    fn empty_token_file_is_refused_without_echo() -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::env::temp_dir().join(format!("hp-cli-auth-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("token");
        std::fs::write(&path, "  \n")?;
        let err = resolve(Some(&path)).err().map(|e| e.to_string());
        assert_eq!(
            err,
            Some(format!(
                "the access token in the file {} is empty",
                path.display()
            ))
        );
        std::fs::write(&path, "Bearer pat-secret\n")?;
        let err = resolve(Some(&path)).err().map(|e| e.to_string());
        assert!(
            err.as_ref().is_some_and(
                |e| e.contains("without the \"Bearer \" prefix") && !e.contains("pat-secret")
            ),
            "{err:?}"
        );
        std::fs::write(&path, "pat-secret\n")?;
        let (token, source) = resolve(Some(&path))?;
        assert_eq!(token.expose_secret(), "pat-secret");
        assert_eq!(source, TokenSource::File(path));
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
