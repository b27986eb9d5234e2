//! Instruction counts per request and per byte, read with callgrind by
//! `benches/instructions.sh`, which runs this program once per variant:
//!
//! ```text
//! bash benches/instructions.sh
//! ```
//!
//! Each variant runs inside `measured`, the only code callgrind counts; the requests are built
//! before and dropped after. Run without arguments (as `cargo bench` does), it runs every variant
//! once, as a smoke test.

mod common;

use std::hint::black_box;
use std::task::Context;

use common::*;
use mde_partner_ua::{classify, grammar};
use tower::Service;

/// Requests per stamping variant.
const REQUESTS: usize = 10_000;

/// Sends every request through `service`; the one function callgrind counts.
#[inline(never)]
fn measured<S>(
    service: &mut S,
    requests: Vec<Req>,
    sent: &mut Vec<S::Response>,
    cx: &mut Context<'_>,
) where
    S: Service<Req>,
    S::Error: std::fmt::Debug,
{
    for request in requests {
        sent.push(send(service, request, cx));
    }
}

/// Validates `value` `times` times; counted as well.
#[inline(never)]
fn measured_validate(value: &[u8], times: usize) {
    for _ in 0..times {
        let _ = black_box(grammar::validate(black_box(value)));
    }
}

/// Classifies the mix `times` times; counted as well.
#[inline(never)]
fn measured_classify(times: usize) {
    for _ in 0..times {
        for value in MIX {
            black_box(classify(black_box(value)));
        }
    }
}

fn stamp<S>(mut service: S, make: fn() -> Req)
where
    S: Service<Req>,
    S::Error: std::fmt::Debug,
{
    let waker = waker();
    let mut cx = Context::from_waker(&waker);
    // Warm up: the first clone of a run-time value shares its bytes once.
    let warm: Vec<Req> = (0..10).map(|_| make()).collect();
    let mut sent = Vec::with_capacity(REQUESTS);
    keep_room_for(warm.len());
    measured_warm_up(&mut service, warm, &mut cx);
    let requests: Vec<Req> = (0..REQUESTS).map(|_| make()).collect();
    keep_room_for(REQUESTS);
    measured(&mut service, requests, &mut sent, &mut cx);
    keep_room_for(0);
    drop(black_box(sent));
}

#[inline(never)]
fn measured_warm_up<S>(service: &mut S, requests: Vec<Req>, cx: &mut Context<'_>)
where
    S: Service<Req>,
    S::Error: std::fmt::Debug,
{
    for request in requests {
        drop(send(service, request, cx));
    }
}

/// Every variant: its name, and how to run it. Names are what the script passes.
const VARIANTS: &[(&str, fn())] = &[
    ("a-noop", || stamp(noop(), with_curl)),
    ("b-hand-insert", || {
        stamp(tower::service_fn(hand_insert), with_curl)
    }),
    ("c-tower-http", || stamp(tower_http_overriding(), with_curl)),
    ("d-format", || {
        stamp(tower::service_fn(format_per_request), with_curl)
    }),
    ("e-replace-static", || {
        stamp(ours(replace_static()), with_curl)
    }),
    ("e-replace-runtime", || {
        stamp(ours(replace_runtime()), with_curl)
    }),
    ("e-replace-no-caller", || {
        stamp(ours(replace_static()), plain)
    }),
    ("e-prepend-no-caller", || stamp(ours(prepend()), plain)),
    ("e-prepend-caller", || stamp(ours(prepend()), with_curl)),
    ("e-scoped-in", || stamp(ours(scoped()), with_curl)),
    ("e-scoped-out", || stamp(ours(scoped()), request_elsewhere)),
    ("e-override", || {
        stamp(ours(replace_static()), request_with_override)
    }),
    ("f-noop-67", || stamp(noop(), valid_67)),
    ("f-layer-reject-67", || stamp(validate_reject(), valid_67)),
    ("f-grammar-67", || {
        measured_validate(&value_of_len(67), REQUESTS)
    }),
    ("f-grammar-1k", || {
        measured_validate(&value_of_len(1 << 10), 1_000)
    }),
    ("f-grammar-64k", || {
        measured_validate(&value_of_len(64 << 10), 20)
    }),
    ("f-grammar-nested", || {
        measured_validate(&nested(32_000), 20)
    }),
    ("g-classify-mix", || measured_classify(1_000)),
];

fn plain() -> Req {
    request(None)
}

fn with_curl() -> Req {
    request(Some("curl/8.5.0"))
}

fn valid_67() -> Req {
    request(Some(VALUE_67))
}

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    match VARIANTS.iter().find(|(variant, _)| *variant == name) {
        Some((_, run)) => run(),
        None if name == "list" => {
            for (variant, _) in VARIANTS {
                println!("{variant}");
            }
        }
        None => {
            for (_, run) in VARIANTS {
                run();
            }
            println!("every variant ran; `bash benches/instructions.sh` counts their instructions");
        }
    }
}
