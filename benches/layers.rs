//! Time per request and bytes per second, every variant in the same run.
//!
//! ```text
//! cargo bench --bench layers
//! ```
//!
//! Stamping is compared with (a) no middleware at all, (b) a hand-written insert of a static
//! value, (c) tower-http's `SetRequestHeaderLayer::overriding`, and (d) a per-request `format!`.
//! Validation is reported in bytes per second. `benches/README.md` lists the figures as ratios.

mod common;

use std::hint::black_box;

use common::*;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use mde_partner_ua::{classify, grammar};
use tower::Service;

fn bench_service<S>(c: &mut Criterion, group: &str, name: &str, mut service: S, make: fn() -> Req)
where
    S: Service<Req, Response = Res>,
    S::Error: std::fmt::Debug,
{
    let waker = waker();
    let mut cx = std::task::Context::from_waker(&waker);
    c.benchmark_group(group).bench_function(name, |b| {
        b.iter_batched(
            make,
            |request| {
                let response = send(&mut service, request, &mut cx);
                // Dropped by criterion outside the timing, like the response.
                (response, take_received())
            },
            BatchSize::SmallInput,
        )
    });
}

fn stamping(c: &mut Criterion) {
    let plain = || request(None);
    let with_curl = || request(Some("curl/8.5.0"));
    bench_service(c, "stamp", "a no-op", noop(), with_curl);
    bench_service(
        c,
        "stamp",
        "b hand-written insert",
        tower::service_fn(hand_insert),
        with_curl,
    );
    bench_service(
        c,
        "stamp",
        "c tower-http overriding",
        tower_http_overriding(),
        with_curl,
    );
    bench_service(
        c,
        "stamp",
        "d format per request",
        tower::service_fn(format_per_request),
        with_curl,
    );
    bench_service(
        c,
        "stamp",
        "e replace, static value",
        ours(replace_static()),
        with_curl,
    );
    bench_service(
        c,
        "stamp",
        "e replace, run-time value",
        ours(replace_runtime()),
        with_curl,
    );
    bench_service(
        c,
        "stamp",
        "e replace, no caller value",
        ours(replace_static()),
        plain,
    );
    bench_service(
        c,
        "stamp",
        "e prepend, no caller value",
        ours(prepend()),
        plain,
    );
    bench_service(
        c,
        "stamp",
        "e prepend, caller value",
        ours(prepend()),
        with_curl,
    );
    bench_service(c, "stamp", "e scoped, in scope", ours(scoped()), with_curl);
    bench_service(
        c,
        "stamp",
        "e scoped, out of scope",
        ours(scoped()),
        request_elsewhere,
    );
    bench_service(
        c,
        "stamp",
        "e per-request override",
        ours(replace_static()),
        request_with_override,
    );
}

fn validating(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    let values = [
        ("67 B", value_of_len(67)),
        ("1 KiB", value_of_len(1 << 10)),
        ("64 KiB", value_of_len(64 << 10)),
        ("nested 1,000 deep", nested(1_000)),
        ("nested 100,000 deep", nested(100_000)),
    ];
    for (name, value) in &values {
        assert!(grammar::validate(value).is_ok(), "{name}");
        group.throughput(Throughput::Bytes(value.len() as u64));
        group.bench_function(format!("grammar {name}"), |b| {
            b.iter(|| grammar::validate(black_box(value)))
        });
    }
    group.finish();

    let valid = || request(Some(VALUE_67));
    bench_service(
        c,
        "validate",
        "layer reject, 67 B",
        validate_reject(),
        valid,
    );
}

fn classifying(c: &mut Criterion) {
    let bytes: usize = MIX.iter().map(|value| value.len()).sum();
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("mix of {} values", MIX.len()), |b| {
        b.iter(|| {
            for value in MIX {
                black_box(classify(black_box(value)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, stamping, validating, classifying);
criterion_main!(benches);
