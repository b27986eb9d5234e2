//! The partner rule, in one place: which valid User-Agents are partner User-Agents, and why the
//! others are not. `new`, `from_static`, `parse`, `classify` and both layers all ask here.
//!
//! ```text
//! partner-product = "MdePartner-" company "-" product "/" version   ; the value's first product
//! company         = 1*( tchar except "-" )   ; the name splits at the first "-"
//! product         = 1*tchar                  ; may contain "-"
//! version         = token
//! ```

use crate::automaton::{
    self, Verdict, COMPANY, COMPANY_START, OTHER_NAME, PRODUCT_START, START, VERSION,
};
use crate::bytes::{first_white, is_white, starts_with_ignore_case, LEGACY_PREFIX, PREFIX};
use crate::grammar::{self, FirstProduct, SyntaxError};
use crate::partner::error::PartnerErrorKind;

pub(crate) use crate::automaton::is_company_byte;

/// Offsets of the partner product's pieces in a value: the company is
/// `value[PREFIX.len()..company_end]`, the product `value[company_end + 1..name_end]`, the
/// version `value[name_end + 1..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    pub(crate) company_end: usize,
    pub(crate) name_end: usize,
    pub(crate) end: usize,
}

/// Why a value is not a partner User-Agent, as found by [`check`]: small, and built in
/// `const` context, where [`PartnerError`](crate::PartnerError) adds what its message shows.
#[derive(Debug, Clone)]
pub(crate) enum Refusal {
    /// Not a valid RFC 9110 User-Agent.
    Syntax(SyntaxError),
    /// Valid, but its first product is not a partner product.
    NotPartner {
        kind: PartnerErrorKind,
        offset: usize,
        first: FirstProduct,
    },
}

/// Checks that `value` is a valid User-Agent whose first product is a partner product, and
/// returns the partner product's parts.
#[inline]
pub(crate) const fn check(value: &[u8]) -> Result<Parts, Refusal> {
    match refusal(value) {
        None => Ok(parts_of_partner(value, first_white(value))),
        Some(refusal) => Err(refusal),
    }
}

/// Why `value` is not a partner User-Agent, or `None` when it is one: the one decision every
/// part of the crate asks for, in one walk over the bytes (the automaton reads the first product
/// with the partner rule's states). Only a value that is not valid, or whose first product is
/// not a partner product, is looked at again, to say why.
#[inline]
pub(crate) const fn refusal(value: &[u8]) -> Option<Refusal> {
    let end = match automaton::verdict(value) {
        Verdict::Partner => return None,
        Verdict::Valid => first_white(value),
        // Not valid, as the exact scanner will say; should it find the value valid after all,
        // the partner rule's walk below decides on its first product.
        Verdict::Invalid => match grammar::exact_scan(value) {
            Err(syntax) => return Some(Refusal::Syntax(syntax)),
            Ok(first) => first.end,
        },
    };
    match explain(value, end) {
        Ok(_) => None,
        Err((kind, offset)) => Some(not_partner(kind, offset, value, end)),
    }
}

const fn not_partner(kind: PartnerErrorKind, offset: usize, value: &[u8], end: usize) -> Refusal {
    Refusal::NotPartner {
        kind,
        offset,
        first: FirstProduct {
            name_end: slash_before(value, end),
            end,
        },
    }
}

/// The offset of the `/` of the product `value[..end]`, or `end` when it has none: the last `/`,
/// as versions are short.
const fn slash_before(value: &[u8], end: usize) -> usize {
    let mut i = end;
    while i > 0 {
        i -= 1;
        if value[i] == b'/' {
            return i;
        }
    }
    end
}

/// The parts of a value whose first product, `value[..end]`, the table found to be a partner
/// product.
const fn parts_of_partner(value: &[u8], end: usize) -> Parts {
    let mut company_end = PREFIX.len();
    while company_end < end && value[company_end] != b'-' {
        company_end += 1;
    }
    Parts {
        company_end,
        name_end: slash_before(value, end),
        end,
    }
}

/// Walks the automaton's [`first_product`](automaton::first_product) transitions over the first
/// product, `value[..end]`, of a valid value, step by step: the parts of a partner product, or
/// the rule it broke and where, from the state in which it left the partner path.
const fn explain(value: &[u8], end: usize) -> Result<Parts, (PartnerErrorKind, usize)> {
    let mut state = START;
    let mut i = 0;
    while i < end {
        let next = automaton::first_product(state, value[i]);
        if next >= OTHER_NAME {
            return Err(broken(state, i, value, end));
        }
        state = next;
        i += 1;
    }
    if state == VERSION {
        Ok(parts_of_partner(value, end))
    } else {
        Err(broken(state, end, value, end))
    }
}

/// The rule broken by a first product, `value[..end]`, that left the partner path at `at` in
/// `state`, or ended there.
const fn broken(state: u16, at: usize, value: &[u8], end: usize) -> (PartnerErrorKind, usize) {
    let name_end = slash_before(value, end);
    match state {
        _ if state < COMPANY_START => {
            let kind = if starts_with_ignore_case(value, name_end, LEGACY_PREFIX.as_bytes()) {
                PartnerErrorKind::LegacyPrefix
            } else if starts_with_ignore_case(value, name_end, PREFIX.as_bytes()) {
                PartnerErrorKind::PrefixCase
            } else {
                PartnerErrorKind::MissingPrefix
            };
            (kind, at)
        }
        COMPANY_START => (PartnerErrorKind::EmptyCompany, at),
        COMPANY => (PartnerErrorKind::MissingProduct, at),
        PRODUCT_START => (PartnerErrorKind::EmptyProduct, at),
        _ => (PartnerErrorKind::MissingVersion, at),
    }
}

/// Whether the product `value[start..end]` (an element of a valid value) is a partner product
/// by its name: it starts with `MdePartner-` or the legacy `MdatpPartner-`, in any letter
/// case. A value should carry one such product, first.
pub(crate) fn looks_like_partner_product(product: &[u8]) -> bool {
    starts_with_ignore_case(product, product.len(), PREFIX.as_bytes())
        || starts_with_ignore_case(product, product.len(), LEGACY_PREFIX.as_bytes())
}

/// Whether some word of `value` (what starts it or follows white space) starts like a partner
/// product, in any letter case: when not, no product of `value` is one, and its elements need not
/// be walked. The `-` that ends both prefixes is looked for first, eight bytes a step.
pub(crate) fn may_name_a_partner(value: &[u8]) -> bool {
    let mut from = 0;
    while let Some(dash) = find_dash(value, from) {
        from = dash + 1;
        // Both prefixes end in `artner-`: most dashes end other words.
        let ends_artner = dash >= 6 && value[dash - 6..dash].eq_ignore_ascii_case(b"artner");
        if !ends_artner {
            continue;
        }
        for len in [PREFIX.len(), LEGACY_PREFIX.len()] {
            if let Some(start) = (dash + 1).checked_sub(len) {
                let starts_a_word = start == 0 || is_white(value[start - 1]);
                if starts_a_word && looks_like_partner_product(&value[start..]) {
                    return true;
                }
            }
        }
    }
    false
}

/// The offset of the first `-` in `value` at or after `from`: eight bytes a step.
fn find_dash(value: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const DASHES: u64 = u64::from_ne_bytes([b'-'; 8]);
    let mut rest = value.get(from..)?;
    let mut at = from;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        let word = u64::from_ne_bytes(*word) ^ DASHES;
        if word.wrapping_sub(ONES) & !word & HIGHS != 0 {
            break;
        }
        at += 8;
        rest = tail;
    }
    rest.iter().position(|&b| b == b'-').map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule as the README writes it, for values already known to be valid.
    fn by_the_readme(value: &[u8]) -> bool {
        let first = value
            .split(|&b| b == b' ' || b == b'\t')
            .next()
            .unwrap_or_default();
        let Ok(first) = std::str::from_utf8(first) else {
            return false;
        };
        let Some((name, version)) = first.split_once('/') else {
            return false;
        };
        let Some((company, product)) = name
            .strip_prefix("MdePartner-")
            .and_then(|rest| rest.split_once('-'))
        else {
            return false;
        };
        !company.is_empty() && !product.is_empty() && !version.is_empty()
    }

    #[test]
    fn the_table_and_the_step_by_step_walk_decide_alike() {
        let seed = b"MdePartner-Co-Pr/1 (x) y";
        let alphabet = b"MmdDeEPartn-/ x(";
        let mut values = vec![seed.to_vec()];
        for i in 0..seed.len() {
            let mut deleted = seed.to_vec();
            deleted.remove(i);
            values.push(deleted);
            for &b in alphabet {
                let mut changed = seed.to_vec();
                changed[i] = b;
                values.push(changed);
                let mut inserted = seed.to_vec();
                inserted.insert(i, b);
                values.push(inserted);
            }
        }
        let mut partner = 0;
        for value in &values {
            let Ok(first) = grammar::exact_scan(value) else {
                assert!(check(value).is_err());
                continue;
            };
            // The table's own verdict, not `check`, which asks the walk when the table says no.
            let table = automaton::verdict(value) == Verdict::Partner;
            let walk = explain(value, first.end).is_ok();
            assert_eq!(table, walk, "{:?}", String::from_utf8_lossy(value));
            assert_eq!(
                check(value).is_ok(),
                walk,
                "{:?}",
                String::from_utf8_lossy(value)
            );
            assert_eq!(
                table,
                by_the_readme(value),
                "{:?}",
                String::from_utf8_lossy(value)
            );
            partner += usize::from(table);
        }
        assert!(partner > 10 && partner < values.len() / 2, "{partner}");
    }
}
