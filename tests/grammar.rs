//! The RFC 9110 User-Agent grammar, rule by rule and error by error.

mod reference;
mod support;

use mde_partner_ua::grammar::{self, SyntaxError, SyntaxErrorKind};
use reference::is_tchar;
use support::nested;

fn error_for(value: &[u8]) -> SyntaxError {
    match grammar::validate(value) {
        Ok(()) => panic!("{} was accepted", shown(value)),
        Err(error) => error,
    }
}

/// The value for a failure message, cut short when long.
fn shown(value: &[u8]) -> String {
    let head = &value[..value.len().min(60)];
    let more = if head.len() < value.len() { "..." } else { "" };
    format!("{:?}{more}", String::from_utf8_lossy(head))
}

/// Asserts the kind, offset and byte of the error for `value`.
fn refused(value: &[u8], kind: SyntaxErrorKind, offset: usize) -> SyntaxError {
    let error = error_for(value);
    assert_eq!(
        (error.kind(), error.offset()),
        (kind, offset),
        "{}: {error}",
        shown(value)
    );
    assert_eq!(error.byte(), value.get(offset).copied());
    error
}

fn accepted(value: &[u8]) {
    if let Err(error) = grammar::validate(value) {
        panic!("{} was refused: {error}", shown(value));
    }
}

// --- product = token [ "/" product-version ] ---------------------------------------------------

#[test]
fn a_product_is_a_token_with_an_optional_version() {
    for value in [
        "curl",
        "curl/8.5.0",
        "a",
        "a/b",
        "Mozilla/5.0",
        "!#$%&'*+-.^_`|~/~",
    ] {
        accepted(value.as_bytes());
    }
}

#[test]
fn every_tchar_makes_a_token_and_no_other_byte_does() {
    for b in 0..=255u8 {
        let name = [b'a', b, b'z'];
        let version = [b'a', b'/', b];
        // A space or tab between two tokens makes two products.
        let separates = matches!(b, b'/' | b' ' | b'\t');
        assert_eq!(
            grammar::validate(&name).is_ok(),
            is_tchar(b) || separates,
            "{b:#04x}"
        );
        assert_eq!(grammar::validate(&version).is_ok(), is_tchar(b), "{b:#04x}");
    }
}

#[test]
fn a_product_has_at_most_one_slash_and_needs_a_version_after_it() {
    refused(b"a/b/c", SyntaxErrorKind::InvalidProductByte, 3);
    refused(b"curl/", SyntaxErrorKind::MissingVersion, 5);
    refused(b"curl/ x", SyntaxErrorKind::MissingVersion, 5);
    refused(b"curl/(x)", SyntaxErrorKind::MissingVersion, 5);
    refused(b"/1.0", SyntaxErrorKind::ExpectedProduct, 0);
    refused(b"a /1.0", SyntaxErrorKind::ExpectedProduct, 2);
}

#[test]
fn a_byte_that_is_not_a_tchar_ends_a_product_badly() {
    let error = refused(
        b"Contoso,ContosoCognito/1.0",
        SyntaxErrorKind::InvalidProductByte,
        7,
    );
    assert!(error.to_string().contains("found ',' (0x2C)"), "{error}");
    refused(b"a\"b", SyntaxErrorKind::InvalidProductByte, 1);
    refused(b"a/1;b", SyntaxErrorKind::InvalidProductByte, 3);
    refused(b"caf\xc3\xa9/1", SyntaxErrorKind::InvalidProductByte, 3);
}

// --- RWS = 1*( SP / HTAB ) ---------------------------------------------------------------------

#[test]
fn products_and_comments_are_separated_by_spaces_or_tabs() {
    for value in [
        "a b",
        "a\tb",
        "a \t  b",
        "a/1 (c)",
        "a/1\t(c)\tb",
        "a (b) (c)",
    ] {
        accepted(value.as_bytes());
    }
    refused(b"a (b)c d", SyntaxErrorKind::MissingSpaceAfterComment, 5);
    refused(b"a(b)", SyntaxErrorKind::MissingSpaceBeforeComment, 1);
    refused(b"a/1(b)", SyntaxErrorKind::MissingSpaceBeforeComment, 3);
    refused(b"a (b)(c)", SyntaxErrorKind::MissingSpaceAfterComment, 5);
}

#[test]
fn the_value_is_taken_exactly_as_given() {
    refused(b"", SyntaxErrorKind::Empty, 0);
    refused(b" a", SyntaxErrorKind::LeadingWhitespace, 0);
    refused(b"\ta", SyntaxErrorKind::LeadingWhitespace, 0);
    refused(b"a ", SyntaxErrorKind::TrailingWhitespace, 1);
    refused(b"a/1 \t ", SyntaxErrorKind::TrailingWhitespace, 3);
    refused(b"a (b)\t", SyntaxErrorKind::TrailingWhitespace, 5);
    refused(b" ", SyntaxErrorKind::LeadingWhitespace, 0);
}

// --- comment = "(" *( ctext / quoted-pair / comment ) ")" --------------------------------------

#[test]
fn comments_follow_a_product_and_nest() {
    for value in [
        "a ()",
        "a (b)",
        "a (Linux; x86_64)",
        "a (b (c (d)) e)",
        "a (\"quoted\" <x> [y] {z} @,;:=?/)",
        "a (b) c/1 (d)",
    ] {
        accepted(value.as_bytes());
    }
    refused(b"(a)", SyntaxErrorKind::CommentFirst, 0);
    refused(b"(a) b", SyntaxErrorKind::CommentFirst, 0);
}

#[test]
fn every_byte_inside_a_comment_is_ctext_or_refused() {
    for b in 0..=255u8 {
        let value = [b'a', b' ', b'(', b, b')'];
        let ctext_by_rfc =
            matches!(b, b'\t' | b' ' | 0x21..=0x27 | 0x2a..=0x5b | 0x5d..=0x7e | 0x80..=0xff);
        let result = grammar::validate(&value);
        match b {
            // "(" opens a comment that is then not closed; ")" closes it early; "\" escapes ")".
            b'(' | b'\\' => {
                assert_eq!(result.unwrap_err().kind(), SyntaxErrorKind::UnclosedComment)
            }
            b')' => assert_eq!(
                result.unwrap_err().kind(),
                SyntaxErrorKind::UnmatchedParenthesis
            ),
            _ if ctext_by_rfc => assert!(result.is_ok(), "{b:#04x}"),
            _ => {
                let error = result.unwrap_err();
                assert_eq!(
                    (error.kind(), error.offset()),
                    (SyntaxErrorKind::ControlByte, 3)
                );
                assert_eq!(error.comment_opened_at(), Some(2));
            }
        }
    }
}

#[test]
fn every_byte_after_a_backslash_is_quotable_or_refused() {
    for b in 0..=255u8 {
        let value = [b'a', b' ', b'(', b'\\', b, b')'];
        let quotable_by_rfc = matches!(b, b'\t' | b' ' | 0x21..=0x7e | 0x80..=0xff);
        match grammar::validate(&value) {
            Ok(()) => assert!(quotable_by_rfc, "{b:#04x} accepted"),
            Err(error) => {
                assert!(!quotable_by_rfc, "{b:#04x} refused: {error}");
                assert_eq!(
                    (error.kind(), error.offset()),
                    (SyntaxErrorKind::ControlByte, 4)
                );
            }
        }
    }
}

#[test]
fn quoted_pairs_escape_parentheses_and_backslashes() {
    accepted(br"a (\))");
    accepted(br"a (\()");
    accepted(br"a (\\)");
    accepted(b"a (\\\xff)");
    refused(br"a (\\))", SyntaxErrorKind::UnmatchedParenthesis, 6);
}

#[test]
fn an_unclosed_comment_says_where_it_opened() {
    let error = refused(b"Contoso/1.0 (Linux", SyntaxErrorKind::UnclosedComment, 18);
    assert_eq!(error.comment_opened_at(), Some(12));
    let message = error.to_string();
    assert!(message.contains("opened at byte 12"), "{message}");
    assert!(message.contains("1 parenthesis still open"), "{message}");

    let error = refused(b"a (b (c (d)", SyntaxErrorKind::UnclosedComment, 11);
    assert_eq!(error.comment_opened_at(), Some(2));
    assert!(
        error.to_string().contains("2 parentheses still open"),
        "{error}"
    );
}

#[test]
fn an_over_closed_comment_is_refused_at_the_extra_parenthesis() {
    refused(b"a (b))", SyntaxErrorKind::UnmatchedParenthesis, 5);
    refused(b"a (b) )", SyntaxErrorKind::UnmatchedParenthesis, 6);
    refused(b"a)", SyntaxErrorKind::UnmatchedParenthesis, 1);
    refused(b")", SyntaxErrorKind::UnmatchedParenthesis, 0);
    assert_eq!(error_for(b"a (b))").comment_opened_at(), None);
}

#[test]
fn a_backslash_at_the_end_escapes_nothing() {
    let error = refused(b"a (b\\", SyntaxErrorKind::DanglingBackslash, 4);
    assert_eq!(error.comment_opened_at(), Some(2));
    refused(b"a\\", SyntaxErrorKind::InvalidProductByte, 1);
}

// --- control bytes -----------------------------------------------------------------------------

#[test]
fn control_bytes_are_refused_wherever_they_stand() {
    for (value, offset) in [
        (&b"a/1\r\nX-Injected: yes"[..], 3),
        (b"a\n", 1),
        (b"\x00a", 0),
        (b"a/\x7f", 2),
        (b"a \x01", 2),
        (b"a (b\rc)", 4),
        (b"a (\\\n)", 4),
    ] {
        let error = refused(value, SyntaxErrorKind::ControlByte, offset);
        assert!(error.to_string().contains("control bytes"), "{error}");
    }
}

// --- messages ----------------------------------------------------------------------------------

#[test]
fn messages_name_the_offset_the_byte_and_what_was_expected() {
    let error = error_for(b"MdePartner-Contoso-ContosoCognito/1.0.0, curl/8.5.0");
    let message = error.to_string();
    assert!(
        message.starts_with("invalid User-Agent at byte 39: found ',' (0x2C);"),
        "{message}"
    );
    assert!(
        message.contains("two User-Agent fields were joined"),
        "{message}"
    );

    let message = error_for(b"a/1 ").to_string();
    assert!(message.contains("found a space (0x20)"), "{message}");
    assert!(
        message.contains("cannot end with a space or tab"),
        "{message}"
    );

    let message = error_for(b"a/").to_string();
    assert!(message.contains("found the end of the value"), "{message}");
    assert!(message.contains("expected a version token"), "{message}");

    let message = error_for(b"a\xe9").to_string();
    assert!(message.contains("a non-ASCII byte (0xE9)"), "{message}");
}

#[test]
fn first_product_gives_name_and_version() {
    let first = grammar::first_product(b"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101").unwrap();
    assert_eq!((first.name(), first.version()), ("Mozilla", Some("5.0")));
    let first = grammar::first_product(b"hyper\t(x)").unwrap();
    assert_eq!((first.name(), first.version()), ("hyper", None));
    assert!(grammar::first_product(b"a b,").is_err());
}

// --- any length, any depth ---------------------------------------------------------------------

#[test]
fn one_mib_values_are_checked() {
    let mut token = vec![b'a'; 1 << 20];
    accepted(&token);
    token[(1 << 20) - 1] = b',';
    refused(&token, SyntaxErrorKind::InvalidProductByte, (1 << 20) - 1);

    let mut comment = b"a (".to_vec();
    comment.resize(1 << 20, b'x');
    comment.push(b')');
    accepted(&comment);
    comment.pop();
    refused(&comment, SyntaxErrorKind::UnclosedComment, 1 << 20);

    let many: Vec<u8> = b"p/1 ".repeat(1 << 18);
    refused(&many, SyntaxErrorKind::TrailingWhitespace, (1 << 20) - 1);
    accepted(&many[..(1 << 20) - 1]);
}

#[test]
fn a_hundred_thousand_levels_are_checked() {
    accepted(&nested(100_000, 100_000));
    let error = refused(
        &nested(100_000, 99_998),
        SyntaxErrorKind::UnclosedComment,
        200_000,
    );
    assert!(
        error.to_string().contains("2 parentheses still open"),
        "{error}"
    );
    refused(
        &nested(100_000, 100_001),
        SyntaxErrorKind::UnmatchedParenthesis,
        200_002,
    );
}

#[test]
fn a_million_levels_need_no_stack() {
    // A 64 KiB stack: any recursion per level would overflow it.
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(|| {
            assert!(grammar::validate(&nested(1_000_000, 1_000_000)).is_ok());
            let error = grammar::validate(&nested(1_000_000, 0)).unwrap_err();
            assert_eq!(error.kind(), SyntaxErrorKind::UnclosedComment);
        })
        .unwrap()
        .join()
        .unwrap();
}
