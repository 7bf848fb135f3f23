//! Asking the real supervisor over its control socket, as the demo, the benchmarks and the
//! tests that start it do: one JSON request line, one answer line.

use std::path::Path;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

/// Sends `request` to the supervisor at `socket` and reads its answer; `None` when it cannot
/// be reached or answers with something that is not JSON.
pub async fn request(socket: &Path, request: Value) -> Option<Value> {
    let stream = UnixStream::connect(socket).await.ok()?;
    let (reader, mut writer) = stream.into_split();
    let mut line = serde_json::to_vec(&request).ok()?;
    line.push(b'\n');
    writer.write_all(&line).await.ok()?;
    let mut answer = String::new();
    BufReader::new(reader).read_line(&mut answer).await.ok()?;
    serde_json::from_str(&answer).ok()
}
