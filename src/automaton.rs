//! The fast path: the User-Agent grammar and the partner rule compiled into one table, walked
//! once over the bytes.
//!
//! One look-up per byte, `NEXT[state | byte]`, sixteen bytes between branches, tells at the end
//! whether the value is a partner User-Agent, another valid User-Agent, or invalid (the exact
//! scanner in [`grammar`](crate::grammar) then says where and why). The states are:
//!
//! - the first product, read with the partner rule: `MdePartner-`, byte by byte, then the
//!   company, its `-`, the product, its `/` and the version; or any other `token [ "/" token ]`;
//! - after the first product, `*( RWS ( product / comment ) )`, once for a value whose first
//!   product is a partner product and once for any other, so that the verdict is known at the
//!   end. The first [`DEPTHS`] levels of comments are states of the table; a comment nested
//!   deeper is counted by the driver, which hands the table back its state once the comment is
//!   back at level [`DEPTHS`].
//!
//! The transitions are written below rule by rule, and the table is generated from them. The
//! unit tests hold its valid-or-not verdicts against the exact scanner, and `partner::rule`'s
//! tests hold its partner verdicts against the rule's step-by-step walk, which reads the same
//! [`first_product`] transitions, and against the rule as the README writes it.

use crate::bytes::{is_ctext, is_quotable, is_tchar, is_white, run_end, CTEXT, PREFIX};

/// What the table says of a whole value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Valid, and the first product is a partner product.
    Partner,
    /// Valid, and the first product is not a partner product.
    Valid,
    /// Not valid.
    Invalid,
}

/// Runs the table over `value`.
#[inline]
pub(crate) const fn verdict(value: &[u8]) -> Verdict {
    let state = walk(value);
    END[(state >> 8) as usize & (STATES - 1)]
}

/// The state after `value`, counting comments deeper than the table itself.
#[inline]
const fn walk(value: &[u8]) -> u16 {
    // The prefix that nearly every value sent to Microsoft starts with, in two comparisons rather
    // than eleven steps; the table would reach the same state.
    let (mut state, mut rest) = match value.split_first_chunk::<11>() {
        Some((head, tail)) if starts_with_prefix(head) => (COMPANY_START, tail),
        _ => (START, value),
    };
    loop {
        // Sixteen bytes a step, then eight, then what is left, one branch after each: the sticky
        // states keep themselves, so looking once at the end of a run is enough.
        let mut before = state;
        let mut run = rest;
        while let Some((chunk, tail)) = run.split_first_chunk::<16>() {
            let mut j = 0;
            while j < 16 {
                state = step(state, chunk[j]);
                j += 1;
            }
            if state >= STICKY {
                break;
            }
            before = state;
            run = tail;
        }
        if state < STICKY {
            if let Some((chunk, tail)) = run.split_first_chunk::<8>() {
                let mut j = 0;
                while j < 8 {
                    state = step(state, chunk[j]);
                    j += 1;
                }
                if state < STICKY {
                    before = state;
                    run = tail;
                }
            }
        }
        if state < STICKY {
            let mut j = 0;
            while j < run.len() {
                state = step(state, run[j]);
                j += 1;
            }
            if state < STICKY {
                return state;
            }
        }
        if state == BAIL {
            return BAIL;
        }
        // A comment opened a level deeper than the table counts in the last run, which started
        // in `before`; `BAIL` keeps itself, so no byte before that `(` was invalid: replay the
        // run to find it, count through the deep part, and go on from level `DEPTHS`.
        let mut k = 0;
        let mut replay = before;
        while k < run.len() && replay < STICKY {
            replay = step(replay, run[k]);
            k += 1;
        }
        let (_, after_open) = run.split_at(k);
        match count_deeper(after_open) {
            Some(closed) => {
                let (_, after) = after_open.split_at(closed);
                rest = after;
                state = resume(state);
            }
            None => return BAIL,
        }
    }
}

/// Whether `head` is `MdePartner-`.
#[inline(always)]
const fn starts_with_prefix(head: &[u8; 11]) -> bool {
    const fn word(bytes: &[u8]) -> u64 {
        u64::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        ])
    }
    let prefix = PREFIX.as_bytes();
    word(head) == word(prefix)
        && head[8] == prefix[8]
        && head[9] == prefix[9]
        && head[10] == prefix[10]
}

#[inline(always)]
const fn step(state: u16, byte: u8) -> u16 {
    // A `u16` index needs no bounds check: the table has an entry for each.
    NEXT[(state | byte as u16) as usize]
}

/// Counts the levels of a comment in `value`, which starts just after the `(` that opened level
/// `DEPTHS + 1`, and returns the offset after the `)` that brings it back to level `DEPTHS`;
/// `None` for a value that is invalid there. Runs of comment text go eight bytes a step.
const fn count_deeper(value: &[u8]) -> Option<usize> {
    const OPEN: u64 = u64::from_ne_bytes([b'('; 8]);
    const CLOSE: u64 = u64::from_ne_bytes([b')'; 8]);
    let mut depth = DEPTHS + 1;
    let mut i = 0;
    while i < value.len() {
        // Runs of parentheses, as deep nesting is made of, eight a step.
        if let Some((word, _)) = value.split_at(i).1.split_first_chunk::<8>() {
            let word = u64::from_ne_bytes(*word);
            if word == OPEN {
                depth += 8;
                i += 8;
                continue;
            }
            if word == CLOSE && depth >= DEPTHS + 9 {
                depth -= 8;
                i += 8;
                continue;
            }
        }
        match value[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == DEPTHS {
                    return Some(i + 1);
                }
            }
            b'\\' => {
                if i + 1 == value.len() || !is_quotable(value[i + 1]) {
                    return None;
                }
                i += 1;
            }
            byte if is_ctext(byte) => {
                i = run_end(value, i, CTEXT);
                continue;
            }
            _ => return None,
        }
        i += 1;
    }
    None
}

/// The table's state once a comment deeper than it counts is closed: level [`DEPTHS`] of the
/// same copy.
const fn resume(deep: u16) -> u16 {
    if deep == DEEP_PARTNER {
        PARTNER.comment(DEPTHS)
    } else {
        OTHER.comment(DEPTHS)
    }
}

/// How many levels of comments the table counts in its states.
pub(crate) const DEPTHS: usize = 7;

/// Sixty-four states of 256 bytes each.
const STATES: usize = 64;

/// State number `n`, a multiple of 256 so that `state | byte` indexes the table.
const fn s(n: u16) -> u16 {
    n << 8
}

// The first product, read with the partner rule. `START + k` has read `k` bytes of
// `MdePartner-`.
pub(crate) const START: u16 = s(0);
/// After `MdePartner-`, before the company name.
pub(crate) const COMPANY_START: u16 = s(11);
/// In the company name.
pub(crate) const COMPANY: u16 = s(12);
/// After the `-` that ends the company name.
pub(crate) const PRODUCT_START: u16 = s(13);
/// In the product name, which may hold `-`.
pub(crate) const PRODUCT: u16 = s(14);
/// After the partner product's `/`.
pub(crate) const SLASH: u16 = s(15);
/// In the partner product's version: the first product is a partner product.
pub(crate) const VERSION: u16 = s(16);
/// Off the partner path: in the first product's name, after its `/`, in its version.
pub(crate) const OTHER_NAME: u16 = s(17);
const OTHER_SLASH: u16 = s(18);
const OTHER_VERSION: u16 = s(19);

/// After the first product: one copy of the grammar for a value whose first product is not a
/// partner product, one for a value whose first product is.
const OTHER: Rest = Rest { base: 20 };
const PARTNER: Rest = Rest {
    base: 20 + Rest::LEN,
};
/// A comment opened deeper than [`DEPTHS`] levels, in either copy: the driver counts it.
const DEEP_OTHER: u16 = s(61);
const DEEP_PARTNER: u16 = s(62);
/// Invalid. Keeps itself.
pub(crate) const BAIL: u16 = s(63);
/// The states that keep themselves, which the driver looks for between chunks.
const STICKY: u16 = DEEP_OTHER;

/// `*( RWS ( product / comment ) )` after the first product, as states from `base`.
#[derive(Clone, Copy)]
struct Rest {
    base: u16,
}

impl Rest {
    /// In a product's name, after its `/`, in its version, in white space, after a comment,
    /// then `DEPTHS` levels of comment text and `DEPTHS` of escapes.
    const LEN: u16 = 5 + 2 * DEPTHS as u16;

    const fn name(self) -> u16 {
        s(self.base)
    }
    const fn slash(self) -> u16 {
        s(self.base + 1)
    }
    const fn version(self) -> u16 {
        s(self.base + 2)
    }
    const fn gap(self) -> u16 {
        s(self.base + 3)
    }
    const fn closed(self) -> u16 {
        s(self.base + 4)
    }
    /// In a comment `level` levels deep, 1 to `DEPTHS`.
    const fn comment(self, level: usize) -> u16 {
        s(self.base + 4 + level as u16)
    }
    /// After a `\` in a comment `level` levels deep.
    const fn escape(self, level: usize) -> u16 {
        s(self.base + 4 + DEPTHS as u16 + level as u16)
    }
    const fn deep(self) -> u16 {
        if self.base == OTHER.base {
            DEEP_OTHER
        } else {
            DEEP_PARTNER
        }
    }

    const fn contains(self, state: u16) -> bool {
        state >= s(self.base) && state < s(self.base + Self::LEN)
    }

    /// Whether a value may end in `state`: after a product or a comment.
    const fn accepts(self, state: u16) -> bool {
        state == self.name() || state == self.version() || state == self.closed()
    }

    /// The state after `byte` in `state`, one of this copy's: one rule a line.
    const fn transition(self, state: u16, byte: u8) -> u16 {
        let tchar = is_tchar(byte);
        let white = is_white(byte);
        let offset = (state - s(self.base)) >> 8;
        if offset > 4 + DEPTHS as u16 {
            let level = (offset - 4 - DEPTHS as u16) as usize;
            return if is_quotable(byte) {
                self.comment(level)
            } else {
                BAIL
            };
        }
        if offset > 4 {
            let level = (offset - 4) as usize;
            return match byte {
                b'(' if level == DEPTHS => self.deep(),
                b'(' => self.comment(level + 1),
                b')' if level == 1 => self.closed(),
                b')' => self.comment(level - 1),
                b'\\' => self.escape(level),
                _ if is_ctext(byte) => state,
                _ => BAIL,
            };
        }
        if state == self.name() && tchar {
            self.name()
        } else if state == self.name() && byte == b'/' {
            self.slash()
        } else if (state == self.slash() || state == self.version()) && tchar {
            self.version()
        } else if state != self.slash() && white {
            self.gap()
        } else if state == self.gap() && tchar {
            self.name()
        } else if state == self.gap() && byte == b'(' {
            self.comment(1)
        } else {
            BAIL
        }
    }
}

/// The partner rule, as the states of the first product: the state after `byte` in `state`,
/// for the bytes of `"MdePartner-" company "-" product "/" version`, and of any other
/// `token [ "/" token ]`. White space, which ends the first product, is not read here.
pub(crate) const fn first_product(state: u16, byte: u8) -> u16 {
    let prefix = PREFIX.as_bytes();
    let tchar = is_tchar(byte);
    let slash = byte == b'/';
    match state {
        _ if state < COMPANY_START => {
            let matched = (state >> 8) as usize;
            if byte == prefix[matched] {
                state + s(1)
            } else if tchar {
                OTHER_NAME
            } else if slash && state != START {
                OTHER_SLASH
            } else {
                BAIL
            }
        }
        COMPANY_START | COMPANY if is_company_byte(byte) => COMPANY,
        COMPANY if byte == b'-' => PRODUCT_START,
        PRODUCT_START | PRODUCT if tchar => PRODUCT,
        PRODUCT if slash => SLASH,
        SLASH | VERSION if tchar => VERSION,
        COMPANY_START | OTHER_NAME if tchar => OTHER_NAME,
        COMPANY_START | COMPANY | PRODUCT_START | OTHER_NAME if slash => OTHER_SLASH,
        OTHER_SLASH | OTHER_VERSION if tchar => OTHER_VERSION,
        _ => BAIL,
    }
}

/// Whether `byte` may stand in a company name: a tchar other than `-`, which ends the name.
#[inline]
pub(crate) const fn is_company_byte(byte: u8) -> bool {
    is_tchar(byte) && byte != b'-'
}

/// Whether the first product may end in `state`: after a token, not after a `/`.
pub(crate) const fn ends_first_product(state: u16) -> bool {
    (state > START && state <= PRODUCT)
        || state == VERSION
        || state == OTHER_NAME
        || state == OTHER_VERSION
}

/// Any state: the first product's, or either copy of the rest.
const fn transition(state: u16, byte: u8) -> u16 {
    if OTHER.contains(state) {
        return OTHER.transition(state, byte);
    }
    if PARTNER.contains(state) {
        return PARTNER.transition(state, byte);
    }
    if state >= STICKY || state > OTHER_VERSION {
        return state;
    }
    if is_white(byte) {
        return if state == VERSION {
            PARTNER.gap()
        } else if ends_first_product(state) {
            OTHER.gap()
        } else {
            BAIL
        };
    }
    first_product(state, byte)
}

/// The table: `NEXT[state | byte]`. It has an entry for every `u16`, so that a look-up needs
/// no bounds check; only the first `STATES * 256` are ever read.
static NEXT: [u16; 1 << 16] = {
    let mut table = [BAIL; 1 << 16];
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
const END: [Verdict; STATES] = {
    let mut ends = [Verdict::Invalid; STATES];
    let mut state = 0;
    while state < STATES {
        let st = s(state as u16);
        ends[state] = if st == VERSION || PARTNER.accepts(st) {
            Verdict::Partner
        } else if ends_first_product(st) || OTHER.accepts(st) {
            Verdict::Valid
        } else {
            Verdict::Invalid
        };
        state += 1;
    }
    ends
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

    /// The table and its driver accept exactly what the exact scanner accepts.
    fn agrees(value: &[u8]) {
        assert_eq!(
            verdict(value) != Verdict::Invalid,
            grammar::exact_scan(value).is_ok(),
            "{:?}",
            String::from_utf8_lossy(value)
        );
    }

    #[test]
    fn the_table_agrees_with_the_exact_scanner_on_every_short_value() {
        every_value(b"a/ \t()\\\x80\x01", 7, agrees);
    }

    #[test]
    fn the_table_and_the_driver_agree_with_the_exact_scanner_around_the_deepest_level() {
        // Six levels open: every short continuation crosses level seven and back.
        for head in ["a ", "MdePartner-A-B/1 ", "a x x x x x x x x "] {
            let mut head = head.as_bytes().to_vec();
            head.extend(std::iter::repeat_n(b'(', DEPTHS - 1));
            every_value(b"()\\ a\x01", 6, |value| {
                let mut full = head.clone();
                full.extend_from_slice(value);
                agrees(&full);
                full.extend(std::iter::repeat_n(b')', DEPTHS - 1));
                agrees(&full);
            });
        }
    }

    #[test]
    fn comments_deeper_than_the_table_are_counted_by_the_driver() {
        for depth in [1, 6, 7, 8, 9, 40, 1000] {
            for pad in 0..20 {
                let mut nested = Vec::new();
                for level in 0..depth {
                    nested.extend_from_slice(if level % 3 == 0 { b"(a \\) " } else { b"(" });
                }
                for _ in 0..depth {
                    nested.extend_from_slice(b"b)");
                }
                for first in [&b"MdePartner-A-B/1"[..], b"curl/8"] {
                    let mut value = first.to_vec();
                    value.extend(b" x".repeat(pad));
                    value.push(b' ');
                    value.extend_from_slice(&nested);
                    value.extend_from_slice(b" after (c) d");
                    agrees(&value);
                    let expected = if first.starts_with(b"Mde") {
                        Verdict::Partner
                    } else {
                        Verdict::Valid
                    };
                    assert_eq!(verdict(&value), expected, "depth {depth} pad {pad}");
                    for cut in [1, nested.len() / 2, nested.len() - 1] {
                        agrees(&value[..value.len() - 12 - cut]);
                    }
                    let mut unbalanced = value.clone();
                    unbalanced.insert(first.len() + pad * 2 + 1 + nested.len() / 2, b'(');
                    agrees(&unbalanced);
                }
            }
        }
    }
}
