//! The fast path of the grammar: `*( RWS ( product / comment ) )` compiled into one table.
//!
//! Most values are products and comments one level deep. For those, one look-up per byte,
//! `NEXT[state | byte]`, says at the end whether the value is valid. Anything else, an invalid
//! value (whose error the exact scanner then describes) or a nested comment (which a finite
//! automaton cannot count), is left to the exact scanner in [`grammar`](crate::grammar).
//!
//! The table is generated from the transitions below, which read the byte classes of
//! [`bytes`](crate::bytes); the unit tests hold its verdicts against the exact scanner.

use crate::bytes::{is_ctext, is_quotable, is_tchar, is_white};

/// Runs the automaton over `rest`, which follows a product (the first product of a value, whose
/// end the caller found): `true` when the whole value is valid, `false` when the exact scanner
/// must decide. Sixteen bytes a step, one branch per step, since `BAIL` keeps its state.
#[inline]
pub(crate) const fn accepts_after_product(rest: &[u8]) -> bool {
    let mut state = PRODUCT;
    let mut rest = rest;
    while let Some((chunk, tail)) = rest.split_first_chunk::<16>() {
        let mut i = 0;
        while i < 16 {
            state = step(state, chunk[i]);
            i += 1;
        }
        if state == BAIL {
            return false;
        }
        rest = tail;
    }
    let mut i = 0;
    while i < rest.len() {
        state = step(state, rest[i]);
        i += 1;
    }
    ACCEPTING[(state >> 8) as usize & (STATES - 1)]
}

#[inline(always)]
const fn step(state: u16, byte: u8) -> u16 {
    NEXT[(state as usize | byte as usize) & (NEXT.len() - 1)]
}

// States, each a multiple of 256 so that `state | byte` indexes the table.
const fn s(n: u16) -> u16 {
    n << 8
}

const STATES: usize = 8;

/// In a product's name or version, where a `/` may no longer come.
const PRODUCT: u16 = s(0);
/// In a product's name, where a `/` may come.
const NAME: u16 = s(1);
/// After a product's `/`.
const SLASH: u16 = s(2);
/// In white space between elements.
const GAP: u16 = s(3);
/// In a comment one level deep.
const COMMENT: u16 = s(4);
/// After a `\` in a comment.
const ESCAPE: u16 = s(5);
/// After a comment's `)`.
const CLOSED: u16 = s(6);
/// Invalid, or a nested comment. Once here, always here.
const BAIL: u16 = s(7);

/// The state after `byte` in `state`: `*( RWS ( product / comment ) )`, one rule a line.
const fn transition(state: u16, byte: u8) -> u16 {
    let tchar = is_tchar(byte);
    match state {
        NAME | PRODUCT if tchar => state,
        NAME if byte == b'/' => SLASH,
        SLASH if tchar => PRODUCT,
        NAME | PRODUCT | CLOSED | GAP if is_white(byte) => GAP,
        GAP if tchar => NAME,
        GAP if byte == b'(' => COMMENT,
        // A nested comment needs a counter: the exact scanner takes it.
        COMMENT if byte == b'(' => BAIL,
        COMMENT if byte == b')' => CLOSED,
        COMMENT if byte == b'\\' => ESCAPE,
        COMMENT if is_ctext(byte) => COMMENT,
        ESCAPE if is_quotable(byte) => COMMENT,
        _ => BAIL,
    }
}

/// The table: `NEXT[state | byte]`.
static NEXT: [u16; STATES * 256] = {
    let mut table = [BAIL; STATES * 256];
    let mut state = 0;
    while state < STATES {
        let mut byte = 0;
        while byte < 256 {
            table[state * 256 + byte] = transition(s(state as u16), byte as u8);
            byte += 1;
        }
        state += 1;
    }
    table
};

/// Whether a value may end in each state: after a product or a comment.
const ACCEPTING: [bool; STATES] = {
    let mut accepting = [false; STATES];
    accepting[(PRODUCT >> 8) as usize] = true;
    accepting[(NAME >> 8) as usize] = true;
    accepting[(CLOSED >> 8) as usize] = true;
    accepting
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar;

    /// Every value over `alphabet` of up to `max_len` bytes.
    fn every_value(alphabet: &[u8], max_len: u32, mut check: impl FnMut(&[u8])) {
        let base = alphabet.len();
        let mut value = Vec::new();
        for len in 0..=max_len {
            for mut n in 0..base.pow(len) {
                value.clear();
                for _ in 0..len {
                    value.push(alphabet[n % base]);
                    n /= base;
                }
                check(&value);
            }
        }
    }

    #[test]
    fn the_automaton_never_accepts_what_the_exact_scanner_refuses() {
        let alphabet = b"a/ \t()\\\x80\x01";
        let mut accepted = 0;
        every_value(alphabet, 6, |value| {
            // Values start with a product; the automaton checks what follows its end.
            if value.first().is_some_and(|&b| b == b'a' || b == b'/') {
                return;
            }
            let mut full = b"p".to_vec();
            full.extend_from_slice(value);
            let fast = accepts_after_product(value);
            let exact = grammar::exact_scan(&full).is_ok();
            if fast {
                accepted += 1;
                assert!(exact, "automaton accepted {full:?}");
            } else if exact {
                // Only a nested comment may be valid and still leave the table.
                let opened = value.iter().filter(|&&b| b == b'(').count();
                assert!(opened >= 2, "automaton refused valid {full:?}");
            }
        });
        assert!(accepted > 100, "{accepted}");
    }
}
