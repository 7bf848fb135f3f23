//! `replacement-sets.yaml`: named lists of symbol substitutions an account can opt into,
//! e.g. `ira: [{source: SPY, target: VOO, scale: 1.0}]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::values::{positive, symbol};
use super::{ConfigError, yaml};

/// One substitution: wherever a strategy targets `source`, hold `target` instead, with the
/// weight multiplied by `scale`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// The symbol the strategy publishes.
    #[serde(deserialize_with = "symbol")]
    pub source: String,
    /// The symbol the account holds instead.
    #[serde(deserialize_with = "symbol")]
    pub target: String,
    /// Weight multiplier, greater than 0. Default 1.0.
    #[serde(default = "one", deserialize_with = "positive")]
    pub scale: f64,
}

fn one() -> f64 {
    1.0
}

/// Every replacement set by name, and the file they came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReplacementSets {
    /// The file read, if any; named in errors about sets it lacks.
    pub file: Option<PathBuf>,
    /// Sets by name.
    pub sets: BTreeMap<String, Vec<Replacement>>,
}

impl ReplacementSets {
    /// Reads `replacement-sets.yaml`, rejecting a set that replaces a symbol with itself or
    /// names the same source twice.
    pub fn load(file: &Path) -> Result<Self, ConfigError> {
        let parsed = yaml::parse_file::<BTreeMap<String, Vec<Replacement>>>(file)?;
        for (name, set) in &parsed.value {
            for (index, replacement) in set.iter().enumerate() {
                let path = format!("{name}[{index}]");
                let at = parsed.positions.of(&format!("{path}.source"));
                if replacement.source == replacement.target {
                    return Err(ConfigError::at(
                        file,
                        at,
                        format!("{path}: replaces `{}` with itself", replacement.source),
                    ));
                }
                if let Some(first) = set[..index]
                    .iter()
                    .position(|r| r.source == replacement.source)
                {
                    return Err(ConfigError::at(
                        file,
                        at,
                        format!(
                            "{path}.source: `{}` is already replaced by {name}[{first}]",
                            replacement.source
                        ),
                    ));
                }
            }
        }
        Ok(Self {
            file: Some(file.to_path_buf()),
            sets: parsed.value,
        })
    }

    /// The set called `name`.
    pub fn get(&self, name: &str) -> Option<&[Replacement]> {
        self.sets.get(name).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<ReplacementSets, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("replacement-sets.yaml");
        std::fs::write(&file, text).unwrap();
        ReplacementSets::load(&file)
    }

    #[test]
    fn reads_sets_with_default_scale() {
        let sets = load(
            "ira:\n  - {source: spy, target: VOO}\n  - {source: QQQ, target: QQQM, scale: 0.5}\n",
        )
        .unwrap();
        let ira = sets.get("ira").unwrap();
        assert_eq!(ira[0].source, "SPY");
        assert_eq!(ira[0].scale, 1.0);
        assert_eq!(ira[1].scale, 0.5);
        assert!(sets.get("taxable").is_none());
    }

    #[test]
    fn rejects_bad_entries_with_position() {
        let err = load("ira:\n  - {source: SPY, target: VOO, scale: 0}\n").unwrap_err();
        assert!(
            err.message.contains("ira[0].scale: must be greater than 0"),
            "{err}"
        );
        let err = load("ira:\n  - {source: SPY, target: SPY}\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(2));
        assert!(err.message.contains("replaces `SPY` with itself"), "{err}");
        let err = load("ira:\n  - {source: SPY, target: VOO}\n  - {source: SPY, target: IVV}\n")
            .unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(3));
        assert!(err.message.contains("already replaced by ira[0]"), "{err}");
        let err = load("ira:\n  - {source: SPY, target: VOO, ratio: 1}\n").unwrap_err();
        assert!(err.message.contains("unknown field `ratio`"), "{err}");
    }
}
