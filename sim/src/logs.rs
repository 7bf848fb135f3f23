//! A log sink for tests that assert on what was logged (for example, that a secret never
//! appears): hand a clone to the logger as its writer and read the text afterwards.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

/// Bytes written by any of its clones, kept in memory.
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    fn buffer(&self) -> MutexGuard<'_, Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Everything written so far, as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer()).into_owned()
    }
}

impl Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_buffer() {
        let logs = CapturedLogs::default();
        let mut writer = logs.clone();
        writer.write_all(b"first line\n").unwrap();
        writer.write_all(b"second line\n").unwrap();
        assert_eq!(logs.text(), "first line\nsecond line\n");
    }
}
