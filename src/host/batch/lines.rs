//! The lines of a batch: reading one step line within its limit, and
//! writing each result line as soon as it is ready.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// What [`read_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineRead {
    /// A whole line (its bytes without the `\n`).
    Line,
    /// A line longer than the limit, skipped to its end (nothing kept).
    TooLong,
    /// The end of the input.
    End,
}

/// Reads the next line into `line` (cleared first), keeping at most `max`
/// bytes: a longer line is read to its end and dropped.
pub(super) async fn read_line<R: AsyncBufRead + Unpin>(
    input: &mut R,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<LineRead> {
    line.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = input.fill_buf().await?;
        if available.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => LineRead::End,
                (true, true) => LineRead::TooLong,
                (true, false) => LineRead::Line,
            });
        }
        any = true;
        let newline = available.iter().position(|b| *b == b'\n');
        let take = newline.unwrap_or(available.len());
        if !too_long && line.len() + take > max {
            too_long = true;
            line.clear();
            line.shrink_to(0);
        }
        if !too_long {
            line.extend_from_slice(&available[..take]);
        }
        let consumed = newline.map_or(take, |i| i + 1);
        input.consume(consumed);
        if newline.is_some() {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

/// Writes each line as it arrives and flushes it, so a host reading
/// line by line sees every result at once.
pub(super) async fn write_lines<W: AsyncWrite + Unpin>(
    mut rx: mpsc::UnboundedReceiver<String>,
    mut output: W,
) -> std::io::Result<()> {
    while let Some(mut line) = rx.recv().await {
        line.push('\n');
        output.write_all(line.as_bytes()).await?;
        output.flush().await?;
    }
    Ok(())
}

/// Standard output written in place, from the task that writes the line.
///
/// `tokio::io::stdout()` hands every write, and the flush after it, to a
/// blocking-pool thread and wakes the task when it is done: two thread
/// switches per result line, which is much of what a step costs beyond its
/// HTTP call. A result line is a few hundred bytes into a pipe, which does
/// not block unless the host stops reading, and then the batch has to wait
/// for it anyway (the next steps' results could not be delivered either).
pub(super) struct StdoutInPlace;

impl tokio::io::AsyncWrite for StdoutInPlace {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(std::io::Write::write(&mut std::io::stdout().lock(), buf))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(std::io::Write::flush(&mut std::io::stdout().lock()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}
