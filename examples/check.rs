//! Classifies User-Agent values, one per line of standard input.
//!
//! ```text
//! echo 'MdePartner-Contoso-ContosoCognito/1.0.0' | cargo run --example check
//! partner    company=Contoso product=ContosoCognito version=1.0.0
//! ```
//!
//! Standard input is read as raw bytes (it need not be UTF-8) and split on the byte `\n` only:
//! a final `\n` ends the last line and opens no empty one, and `\r` is an ordinary byte, so a
//! value that ends in `\r` is invalid. Each line gets exactly one line of output: `partner`,
//! `rfc9110` or `invalid`, a tab, then a detail: the parts of the partner product; the first
//! product and why the value is not a partner one; or the error, which for a value valid under
//! RFC 2616 but not RFC 9110 (`Mozilla/5.0(Windows NT 10.0)`) says so and what RFC 9110 needs
//! instead. A detail never holds a tab or a line break: bytes that are not printable are shown
//! as `\xNN`.
//!
//! Exit status: 0 when every line is a partner value (or there is no input), 1 otherwise, 2 on
//! an I/O error. Input is streamed a line at a time, so memory follows the longest line, not the
//! size of the input.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use mde_partner_ua::{classify, Classification};

fn main() -> ExitCode {
    match run(io::stdin().lock(), io::stdout().lock()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("check: {error}");
            ExitCode::from(2)
        }
    }
}

/// Classifies every line of `input` onto `output`; returns whether all were partner values.
pub fn run(mut input: impl BufRead, output: impl Write) -> io::Result<bool> {
    let mut output = BufWriter::with_capacity(64 * 1024, output);
    let mut line = Vec::new();
    // Each verdict is written into this text first, then to the output in one write.
    let mut verdict = String::new();
    let mut all_partner = true;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let value = line.strip_suffix(b"\n").unwrap_or(&line);
        verdict.clear();
        let written = match classify(value) {
            Classification::Partner(partner) => {
                verdict.push_str("partner\tcompany=");
                verdict.push_str(partner.company());
                verdict.push_str(" product=");
                verdict.push_str(partner.product());
                verdict.push_str(" version=");
                verdict.push_str(partner.version());
                Ok(())
            }
            Classification::Rfc9110 {
                first_product,
                reason,
            } => {
                all_partner = false;
                verdict.push_str("rfc9110\tfirst_product=");
                verdict.push_str(first_product.name());
                if let Some(version) = first_product.version() {
                    verdict.push('/');
                    verdict.push_str(version);
                }
                verdict.push_str(" reason=");
                write!(verdict, "{reason}")
            }
            Classification::Invalid(error) => {
                all_partner = false;
                write!(verdict, "invalid\t{error}")
            }
        };
        written.map_err(io::Error::other)?;
        verdict.push('\n');
        output.write_all(verdict.as_bytes())?;
    }
    output.flush()?;
    Ok(all_partner)
}
