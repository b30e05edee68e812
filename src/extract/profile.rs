//! Import profiles: the user's own mapping of unrecognised headers and
//! employment-type values, saved once and reused by later imports.
//!
//! JSON (`{"headers": {"Emp Ref": "worker_id"}, "employment_types": {"Relief": "fixed_term"}}`)
//! or TOML with the same tables. A header mapped to `"ignore"` is skipped.

use super::fields::{Field, UnknownField, normalise_header};
use super::values::{EmploymentType, normalise_value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// File header → canonical field name, or "ignore".
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Value as written → permanent, fixed_term, secondment or agency.
    #[serde(default)]
    pub employment_types: BTreeMap<String, EmploymentType>,
}

/// What a profile says about one header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderRule {
    Field(Field),
    Ignore,
}

/// A header a profile maps to something that is not a Keel field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("header '{header}': {target}")]
pub struct BadMapping {
    pub header: String,
    pub target: UnknownField,
}

/// A profile file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{}: cannot read the profile: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a valid profile: {source}", path.display())]
    Toml {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("{}: not a valid profile: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: {source}", path.display())]
    Mapping { path: PathBuf, source: BadMapping },
}

impl ImportProfile {
    pub fn load(path: &Path) -> Result<ImportProfile, ProfileError> {
        let at = || path.to_path_buf();
        let text = std::fs::read_to_string(path)
            .map_err(|source| ProfileError::Read { path: at(), source })?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let profile: ImportProfile = if is_toml {
            toml::from_str(&text).map_err(|source| ProfileError::Toml { path: at(), source })?
        } else {
            serde_json::from_str(&text)
                .map_err(|source| ProfileError::Json { path: at(), source })?
        };
        profile
            .check()
            .map_err(|source| ProfileError::Mapping { path: at(), source })?;
        Ok(profile)
    }

    /// Every mapped header must name a real field.
    pub fn check(&self) -> Result<(), BadMapping> {
        for (header, target) in &self.headers {
            if !target.eq_ignore_ascii_case("ignore") {
                target.parse::<Field>().map_err(|target| BadMapping {
                    header: header.clone(),
                    target,
                })?;
            }
        }
        Ok(())
    }

    pub fn header_rule(&self, header: &str) -> Option<HeaderRule> {
        let n = normalise_header(header);
        self.headers
            .iter()
            .find(|(h, _)| normalise_header(h) == n)
            .map(|(_, target)| {
                if target.eq_ignore_ascii_case("ignore") {
                    HeaderRule::Ignore
                } else {
                    target
                        .parse()
                        .map(HeaderRule::Field)
                        .unwrap_or(HeaderRule::Ignore)
                }
            })
    }

    pub fn employment_type(&self, value: &str) -> Option<EmploymentType> {
        let n = normalise_value(value);
        self.employment_types
            .iter()
            .find(|(v, _)| normalise_value(v) == n)
            .map(|(_, t)| *t)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_toml_read_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("p.json");
        let t = dir.path().join("p.toml");
        std::fs::write(&j, r#"{"headers":{"Emp Ref":"worker_id","Notes":"ignore"},"employment_types":{"Relief":"fixed_term"}}"#).unwrap();
        std::fs::write(&t, "[headers]\n\"Emp Ref\" = \"worker_id\"\nNotes = \"ignore\"\n[employment_types]\nRelief = \"fixed_term\"\n").unwrap();
        let a = ImportProfile::load(&j).unwrap();
        assert_eq!(a, ImportProfile::load(&t).unwrap());
        assert_eq!(
            a.header_rule("EMP_REF"),
            Some(HeaderRule::Field(Field::WorkerId))
        );
        assert_eq!(a.header_rule("notes"), Some(HeaderRule::Ignore));
        assert_eq!(a.employment_type("relief"), Some(EmploymentType::FixedTerm));
    }

    #[test]
    fn unknown_target_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("p.json");
        std::fs::write(&j, r#"{"headers":{"Emp Ref":"employee"}}"#).unwrap();
        assert!(
            ImportProfile::load(&j)
                .unwrap_err()
                .to_string()
                .contains("not a Keel field")
        );
    }
}
