//! Reading a YAML file into a typed value, with errors that point at the file, line and field.

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::ConfigError;

/// A parsed YAML document together with where each value sits in its file.
pub(crate) struct Parsed<T> {
    pub value: T,
    pub positions: Positions,
}

/// Reads and deserializes `file`. Unknown keys, wrong types and values rejected by the
/// field validators come back as a [`ConfigError`] carrying line, column and field path.
pub(crate) fn parse_file<T: DeserializeOwned>(file: &Path) -> Result<Parsed<T>, ConfigError> {
    let text = std::fs::read_to_string(file)
        .map_err(|err| ConfigError::whole_file(file, format!("cannot read the file: {err}")))?;
    parse_str(file, &text)
}

/// Deserializes `text` as the contents of `file` (see [`parse_file`]).
pub(crate) fn parse_str<T: DeserializeOwned>(
    file: &Path,
    text: &str,
) -> Result<Parsed<T>, ConfigError> {
    let value = serde_yaml::from_str(text).map_err(|err| from_serde(file, &err))?;
    Ok(Parsed {
        value,
        positions: Positions::index(text),
    })
}

fn from_serde(file: &Path, err: &serde_yaml::Error) -> ConfigError {
    let text = err.to_string();
    let location = err.location().map(|loc| (loc.line(), loc.column()));
    let message = match location {
        Some((line, column)) => {
            let suffix = format!(" at line {line} column {column}");
            text.strip_suffix(&suffix).unwrap_or(&text).to_string()
        }
        None => text,
    };
    ConfigError::at(file, location, message)
}

/// Line and column (1-based; the parser counts columns from 0) of every value in a YAML document, by field path in the
/// notation serde_yaml uses for its own errors (`accounts[2].replacement_set`).
#[derive(Debug, Default)]
pub(crate) struct Positions(HashMap<String, (usize, usize)>);

impl Positions {
    fn index(text: &str) -> Self {
        let mut indexer = Indexer::default();
        // The document already deserialized, so the parser cannot fail here; if it did,
        // errors would simply carry no position.
        let _ = Parser::new_from_str(text).load(&mut indexer, false);
        Self(indexer.positions)
    }

    /// Where the value at `path` starts, if the document has it.
    pub fn of(&self, path: &str) -> Option<(usize, usize)> {
        self.0.get(path).copied()
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct Indexer {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
}

impl Indexer {
    /// The path of the node that starts now, or `None` when the node is a mapping key.
    fn node_path(&mut self, event: &Event) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let node = format!("{path}[{next}]");
                *next += 1;
                Some(node)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) if path.is_empty() => Some(k),
                Some(k) => Some(format!("{path}.{k}")),
                None => {
                    if let Event::Scalar(name, ..) = event {
                        *key = Some(name.clone());
                    } else {
                        *key = Some(String::from("?"));
                    }
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {
                let Some(path) = self.node_path(&event) else {
                    return;
                };
                self.positions
                    .entry(path.clone())
                    .or_insert((mark.line(), mark.col() + 1));
                match event {
                    Event::MappingStart(..) => self.stack.push(Frame::Map { path, key: None }),
                    Event::SequenceStart(..) => self.stack.push(Frame::Seq { path, next: 0 }),
                    _ => {}
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_serde_yaml_paths() {
        let text = "accounts:\n  - account_id: DU1\n    type: paper\n  - account_id: DU2\n    replacement_set: ira\n";
        let positions = Positions::index(text);
        assert_eq!(positions.of("accounts[0].account_id"), Some((2, 17)));
        assert_eq!(positions.of("accounts[1].account_id"), Some((4, 17)));
        assert_eq!(positions.of("accounts[1].replacement_set"), Some((5, 22)));
        assert_eq!(positions.of("accounts[2]"), None);
    }

    #[test]
    fn serde_errors_carry_file_line_and_field() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Doc {
            #[allow(dead_code)]
            port: u16,
        }
        let err = parse_str::<Doc>(Path::new("c.yaml"), "port: 4004\nprot: 1\n")
            .err()
            .expect("unknown key must be rejected");
        assert_eq!(err.location, Some((2, 1)));
        assert!(err.message.contains("unknown field `prot`"), "{err}");
        assert!(err.to_string().starts_with("c.yaml:2:1: "), "{err}");
    }
}
