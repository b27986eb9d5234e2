//! The fast path: the User-Agent grammar and the partner rules compiled into one table.
//!
//! Most values are products and comments one level deep. For those, one look-up per byte,
//! `NEXT[state | byte]`, tells at the end whether the value is a partner User-Agent, another
//! valid User-Agent, or something the automaton leaves to the exact scanner in
//! [`grammar`](crate::grammar): an invalid value (whose error it then describes), or a value
//! with nested comments (which a finite automaton cannot count).
//!
//! The transitions are written below rule by rule; the property tests check the verdicts
//! against a reference written from the RFC, and the exact scanner against the same reference.

use crate::grammar::{is_tchar, is_white};

/// What the automaton found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A valid User-Agent whose first product is a partner product.
    Partner,
    /// A valid User-Agent whose first product is not a partner product.
    Valid,
    /// Invalid, or nested comments: ask the exact scanner.
    Unknown,
}

/// Runs the automaton over `value`: sixteen bytes a step, one branch per step, since `BAIL`
/// keeps its state.
#[inline]
pub(crate) const fn verdict(value: &[u8]) -> Verdict {
    // The prefix that nearly every value sent to Microsoft starts with, in two comparisons
    // rather than eleven steps.
    let (mut state, mut rest) = match value.split_first_chunk::<11>() {
        Some((head, tail)) if starts_with_prefix(head) => (COMPANY_START, tail),
        _ => (START, value),
    };
    while let Some((chunk, tail)) = rest.split_first_chunk::<16>() {
        let mut i = 0;
        while i < 16 {
            state = step(state, chunk[i]);
            i += 1;
        }
        if state == BAIL {
            return Verdict::Unknown;
        }
        rest = tail;
    }
    if let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        let mut i = 0;
        while i < 8 {
            state = step(state, chunk[i]);
            i += 1;
        }
        rest = tail;
    }
    let mut i = 0;
    while i < rest.len() {
        state = step(state, rest[i]);
        i += 1;
    }
    ENDS[(state >> 8) as usize & (STATES - 1)]
}

/// Whether `head` is `MdePartner-`.
#[inline(always)]
const fn starts_with_prefix(head: &[u8; 11]) -> bool {
    const fn first_word(bytes: &[u8]) -> u64 {
        u64::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        ])
    }
    first_word(head) == first_word(PREFIX)
        && head[8] == PREFIX[8]
        && head[9] == PREFIX[9]
        && head[10] == PREFIX[10]
}

#[inline(always)]
const fn step(state: u16, byte: u8) -> u16 {
    NEXT[(state as usize | byte as usize) & (NEXT.len() - 1)]
}

// States, each a multiple of 256 so that `state | byte` indexes the table. They are numbered
// by `s()`; the order does not matter.
const fn s(n: u16) -> u16 {
    n << 8
}

const STATES: usize = 32;

/// Before the first byte; states `START..=START + 10` have matched that many bytes of
/// `MdePartner-`.
const START: u16 = s(0);
/// After `MdePartner-`, before the company name.
const COMPANY_START: u16 = s(11);
/// In the company name.
const COMPANY: u16 = s(12);
/// After the `-` that ends the company name.
const PRODUCT_START: u16 = s(13);
/// In the product name (which may hold `-`).
const PRODUCT: u16 = s(14);
/// After the `/` of the partner product.
const PARTNER_SLASH: u16 = s(15);
/// In the partner product's version: the first product is a partner product.
const PARTNER_VERSION: u16 = s(16);
/// Not a partner value: in a product's name, after its `/`, in its version, in white space, in a
/// comment one level deep, after a `\` there, after a comment.
const NAME: u16 = s(17);
const SLASH: u16 = s(18);
const VERSION: u16 = s(19);
const GAP: u16 = s(20);
const COMMENT: u16 = s(21);
const ESCAPE: u16 = s(22);
const CLOSED: u16 = s(23);
/// The same seven states, in the same order, after a partner product: `s(24)` to `s(30)`.
const P_NAME: u16 = s(24);
const P_VERSION: u16 = s(26);
const P_GAP: u16 = s(27);
const P_CLOSED: u16 = s(30);
/// Invalid, or a nested comment. Once here, always here.
const BAIL: u16 = s(31);

const PREFIX: &[u8] = crate::PREFIX.as_bytes();

/// The state after `byte` in `state`: the rules, one state at a time.
const fn transition(state: u16, byte: u8) -> u16 {
    let tchar = is_tchar(byte);
    let white = is_white(byte);
    match state {
        // The first product. Every state here but `START` has read a token, so a `/` or white
        // space may end the name; they lead to the non-partner states unless the partner
        // product is complete.
        _ if state < COMPANY_START => {
            let matched = (state >> 8) as usize;
            if byte == PREFIX[matched] {
                state + s(1)
            } else if state == START {
                if tchar {
                    NAME
                } else {
                    BAIL
                }
            } else {
                name_continues(tchar, white, byte, NAME)
            }
        }
        COMPANY_START | COMPANY if tchar && byte != b'-' => COMPANY,
        COMPANY => {
            if byte == b'-' {
                PRODUCT_START
            } else {
                name_continues(tchar, white, byte, NAME)
            }
        }
        PRODUCT_START | PRODUCT if tchar => PRODUCT,
        PRODUCT if byte == b'/' => PARTNER_SLASH,
        PARTNER_SLASH | PARTNER_VERSION if tchar => PARTNER_VERSION,
        PARTNER_VERSION if white => P_GAP,
        COMPANY_START | PRODUCT_START | PRODUCT => name_continues(tchar, white, byte, NAME),
        PARTNER_SLASH | PARTNER_VERSION => BAIL,
        // After the first product: the same rules, with or without a partner product first.
        _ => {
            let partner = state >= P_NAME && state != BAIL;
            let general = if partner {
                state - (P_NAME - NAME)
            } else {
                state
            };
            let next = after_first_product(general, byte, tchar, white);
            if partner && next != BAIL {
                next + (P_NAME - NAME)
            } else {
                next
            }
        }
    }
}

/// In the first product's name, which has not become a partner product: more token, its `/`,
/// or the white space after it.
const fn name_continues(tchar: bool, white: bool, byte: u8, name: u16) -> u16 {
    if tchar {
        name
    } else if byte == b'/' {
        SLASH
    } else if white {
        GAP
    } else {
        BAIL
    }
}

/// `product *( RWS ( product / comment ) )` from the name of a product on, with comments one
/// level deep.
const fn after_first_product(state: u16, byte: u8, tchar: bool, white: bool) -> u16 {
    match state {
        NAME if tchar => NAME,
        NAME if byte == b'/' => SLASH,
        SLASH | VERSION if tchar => VERSION,
        NAME | VERSION | CLOSED | GAP if white => GAP,
        GAP if tchar => NAME,
        GAP if byte == b'(' => COMMENT,
        // A nested comment needs a counter: the exact scanner takes it.
        COMMENT if byte == b'(' => BAIL,
        COMMENT if byte == b')' => CLOSED,
        COMMENT if byte == b'\\' => ESCAPE,
        // ctext, and after a backslash anything but a control byte.
        COMMENT if crate::grammar::is_ctext(byte) => COMMENT,
        ESCAPE if crate::grammar::is_quotable(byte) => COMMENT,
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

/// The verdict for each state at the end of the value.
const ENDS: [Verdict; STATES] = {
    let mut ends = [Verdict::Unknown; STATES];
    // Every state of the first product from the first byte to `PRODUCT` has read a token.
    let mut state = 1;
    while state <= (PRODUCT >> 8) as usize {
        ends[state] = Verdict::Valid;
        state += 1;
    }
    ends[(PARTNER_VERSION >> 8) as usize] = Verdict::Partner;
    ends[(NAME >> 8) as usize] = Verdict::Valid;
    ends[(VERSION >> 8) as usize] = Verdict::Valid;
    ends[(CLOSED >> 8) as usize] = Verdict::Valid;
    ends[(P_NAME >> 8) as usize] = Verdict::Partner;
    ends[(P_VERSION >> 8) as usize] = Verdict::Partner;
    ends[(P_CLOSED >> 8) as usize] = Verdict::Partner;
    ends
};
