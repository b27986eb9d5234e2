//! The `check` example: its output line by line, its line splitting, its exit status, and
//! extreme inputs.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

#[allow(dead_code)]
#[path = "../examples/check.rs"]
mod check;

/// Runs the example's classifier in this process.
fn classify_lines(input: &[u8]) -> (String, bool) {
    let mut output = Vec::new();
    let all_partner = check::run(input, &mut output).unwrap();
    (String::from_utf8(output).unwrap(), all_partner)
}

fn verdicts(output: &str) -> Vec<&str> {
    output
        .lines()
        .map(|line| line.split('\t').next().unwrap())
        .collect()
}

#[test]
fn one_line_of_output_per_input_line() {
    let input = b"MdePartner-Contoso-ContosoCognito/1.0.0\n\
                  curl/8.5.0\n\
                  MdePartner-Contoso Ltd-Cognito/1.0 (\n\
                  MdePartner-JoeSecurity-JoeSecuritySandbox-AzureFunctionApp/4.4.1\n";
    let (output, all_partner) = classify_lines(input);
    assert_eq!(
        output,
        "partner\tcompany=Contoso product=ContosoCognito version=1.0.0\n\
         rfc9110\tfirst_product=curl/8.5.0 reason=not a partner User-Agent: the first product \
         does not start with \"MdePartner-\" (first product \"curl/8.5.0\", byte 0 differs); expected \
         MdePartner-{Company}-{Product}/{Version}, as in MdePartner-Contoso-ContosoCognito/1.0.0\n\
         invalid\tinvalid User-Agent at byte 36: found the end of the value; expected ')': the \
         comment that opened at byte 35 is not closed (1 parenthesis still open)\n\
         partner\tcompany=JoeSecurity product=JoeSecuritySandbox-AzureFunctionApp version=4.4.1\n"
    );
    assert!(!all_partner);
}

#[test]
fn an_rfc2616_value_is_invalid_with_a_detail_that_names_rfc2616() {
    let input = b"Mozilla/5.0(Windows NT 10.0)\n\
                  foo / 1.0\n\
                  a/1(b)(c)d/2\n\
                  (Android)(10)(Samsung GT-I8530)\n\
                  curl/8.5.0 (x\n";
    let (output, all_partner) = classify_lines(input);
    assert!(!all_partner);
    let lines: Vec<&str> = output.lines().collect();
    let needs = [
        "RFC 9110 needs a space before the comment at byte 11",
        "RFC 9110 needs no space around the '/' at byte 4",
        "RFC 9110 needs a space before the comment at byte 3",
        "RFC 9110 needs a product before the first comment",
    ];
    for (line, needs) in lines.iter().zip(needs) {
        let (verdict, detail) = line.split_once('\t').unwrap();
        assert_eq!(verdict, "invalid");
        assert!(
            detail.contains("the value is valid under RFC 2616 (section 14.43)"),
            "{detail}"
        );
        assert!(detail.ends_with(needs), "{detail}");
    }
    // A value invalid under both says nothing of RFC 2616.
    assert!(lines[4].starts_with("invalid\t") && !lines[4].contains("RFC 2616"));
}

#[test]
fn a_final_newline_opens_no_empty_line_and_a_last_line_without_one_counts() {
    let (output, _) = classify_lines(b"MdePartner-A-B/1\n");
    assert_eq!(verdicts(&output), ["partner"]);
    let (output, _) = classify_lines(b"MdePartner-A-B/1\ncurl/1");
    assert_eq!(verdicts(&output), ["partner", "rfc9110"]);
    let (output, all_partner) = classify_lines(b"");
    assert_eq!(output, "");
    assert!(all_partner);
}

#[test]
fn an_empty_line_is_an_invalid_value() {
    let (output, _) = classify_lines(b"MdePartner-A-B/1\n\nMdePartner-A-B/1\n");
    assert_eq!(verdicts(&output), ["partner", "invalid", "partner"]);
    let (output, _) = classify_lines(b"\n");
    assert_eq!(verdicts(&output), ["invalid"]);
}

#[test]
fn carriage_return_is_an_ordinary_byte_that_makes_a_value_invalid() {
    let (output, _) = classify_lines(b"MdePartner-A-B/1\r\nMdePartner-A-B/1\r");
    assert_eq!(verdicts(&output), ["invalid", "invalid"]);
    assert!(output.contains("carriage return (0x0D)"), "{output}");
}

#[test]
fn bytes_that_are_not_utf8_are_classified_and_escaped() {
    let (output, _) =
        classify_lines(b"MdePartner-A-B/1 (caf\xc3\xa9 \xff)\n\xff\xfe\nx (\x80\t\x01)\n");
    assert_eq!(verdicts(&output), ["partner", "invalid", "invalid"]);
    for line in output.lines() {
        let detail = line.split_once('\t').unwrap().1;
        assert!(!detail.contains(['\t', '\r']), "{line:?}");
    }
}

#[test]
fn every_detail_is_one_line_without_tabs() {
    let input: &[u8] = b"a\tb\n\t\nx (\t\\\t)\t\n(\t)\nMdePartner-\tA-B/1\n\x0b\x0c\x00\x7f\n";
    let (output, _) = classify_lines(input);
    assert_eq!(output.lines().count(), 6);
    for line in output.lines() {
        assert_eq!(line.matches('\t').count(), 1, "{line:?}");
    }
}

#[test]
fn a_16_mib_line_and_a_million_nested_comments_are_classified() {
    let mut long = b"MdePartner-Contoso-ContosoCognito/1.0.0 (".to_vec();
    long.resize(16 << 20, b'x');
    long.extend_from_slice(b")\n");
    let (output, all_partner) = classify_lines(&long);
    assert_eq!(verdicts(&output), ["partner"]);
    assert!(all_partner);

    let depth = 1_000_000;
    let mut deep = b"MdePartner-A-B/1 ".to_vec();
    deep.extend(std::iter::repeat_n(b'(', depth));
    deep.extend(std::iter::repeat_n(b')', depth));
    deep.push(b'\n');
    deep.extend_from_slice(&deep.clone()[..deep.len() - 2]);
    let (output, _) = classify_lines(&deep);
    assert_eq!(verdicts(&output), ["partner", "invalid"]);
    assert!(output.contains("1 parenthesis still open"), "{output}");
}

#[test]
fn two_hundred_thousand_lines() {
    let mut input = Vec::new();
    for i in 0..200_000 {
        if i % 2 == 0 {
            input.extend_from_slice(b"MdePartner-Contoso-ContosoCognito/1.0.0\n");
        } else {
            input.extend_from_slice(
                b"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0\n",
            );
        }
    }
    let (output, _) = classify_lines(&input);
    let verdicts = verdicts(&output);
    assert_eq!(verdicts.len(), 200_000);
    assert_eq!(
        verdicts.iter().filter(|v| **v == "partner").count(),
        100_000
    );
    assert_eq!(
        verdicts.iter().filter(|v| **v == "rfc9110").count(),
        100_000
    );
}

/// The example as cargo built it; `cargo test` builds every example.
fn check_binary() -> PathBuf {
    let mut path = std::env::current_exe().unwrap();
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.push("examples");
    path.push(format!("check{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        // `cargo test --test check_example` builds this test alone, not the examples.
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "check"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "building the check example failed");
    }
    assert!(path.exists(), "{} is missing", path.display());
    path
}

fn run_binary(input: &[u8]) -> (i32, String) {
    let mut child = Command::new(check_binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn exit_status_is_0_when_every_line_is_a_partner_value_and_1_otherwise() {
    let (status, output) = run_binary(b"MdePartner-A-B/1\nMdePartner-C-D/2 (x)\n");
    assert_eq!((status, verdicts(&output)), (0, vec!["partner", "partner"]));
    let (status, _) = run_binary(b"MdePartner-A-B/1\ncurl/8.5.0\n");
    assert_eq!(status, 1);
    let (status, _) = run_binary(b"MdePartner-A-B/1\nMdePartner-A-B/1 \n");
    assert_eq!(status, 1);
    let (status, output) = run_binary(b"");
    assert_eq!((status, output.as_str()), (0, ""));
}

#[test]
fn exit_status_is_2_on_an_io_error() {
    // A directory as standard input: reading it fails.
    let status = Command::new(check_binary())
        .stdin(std::fs::File::open(env!("CARGO_MANIFEST_DIR")).unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&status.stderr).starts_with("check: "));

    // Standard output closed before the first write.
    let mut child = Command::new(check_binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(&b"MdePartner-A-B/1\n".repeat(100_000));
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(2));
}

#[test]
fn memory_follows_the_longest_line_not_the_input() {
    // About 100 MB of short lines, streamed through the binary.
    let mut child = Command::new(check_binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let chunk =
        b"MdePartner-Contoso-ContosoCognito/1.0.0 (Linux; x86_64) hyper/1.12.0\n".repeat(10_000);
    for _ in 0..((100 << 20) / chunk.len()) {
        stdin.write_all(&chunk).unwrap();
    }
    // Read the peak before the process exits and its status file goes away.
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"));
    drop(stdin);
    let Ok(status) = status else {
        println!("skipped: no /proc to read the peak resident memory from");
        assert_eq!(child.wait().unwrap().code(), Some(0));
        return;
    };
    let peak_kib: u64 = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        .expect("VmHWM in /proc/PID/status");
    assert_eq!(child.wait().unwrap().code(), Some(0));
    // A debug build of the example with its 64 KiB buffers: a few MiB, whatever the input size.
    assert!(peak_kib < 8 * 1024, "peak resident memory {peak_kib} KiB");
}

#[test]
fn extreme_lines_pass_through_the_binary_on_a_256_kib_stack() {
    if Command::new("bash")
        .arg("-c")
        .arg("ulimit -s 256")
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        panic!("bash with `ulimit -s` is needed for this test");
    }
    let mut input = b"MdePartner-Contoso-ContosoCognito/1.0.0 (".to_vec();
    input.resize(16 << 20, b'x');
    input.extend_from_slice(b")\nMdePartner-A-B/1 ");
    input.extend(std::iter::repeat_n(b'(', 1_000_000));
    input.extend(std::iter::repeat_n(b')', 1_000_000));
    input.push(b'\n');
    let mut child = Command::new("bash")
        .arg("-c")
        .arg("ulimit -s 256 && exec \"$0\"")
        .arg(check_binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let output = String::from_utf8(output.stdout).unwrap();
    assert_eq!(verdicts(&output), ["partner", "partner"]);
}

#[test]
fn a_legacy_value_is_named_with_its_correction() {
    let (output, all_partner) =
        classify_lines(b"MdatpPartner-Contoso-ContosoCognito/1.0.0 (Linux)\n");
    assert_eq!(verdicts(&output), ["rfc9110"]);
    assert!(!all_partner);
    assert!(
        output.contains("legacy prefix of Microsoft's earlier partner guide"),
        "{output}"
    );
    assert!(
        output.contains(r#"send "MdePartner-Contoso-ContosoCognito/1.0.0" instead"#),
        "{output}"
    );
}
