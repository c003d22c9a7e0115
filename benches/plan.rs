//! Criterion benchmarks: the size-constrained assignment step and the full plan on
//! generated households (`siting::synth`), at 10 k and 100 k, and at 50 k over the catchment
//! size (targets 2,000 to 50); the two objectives at 20 k; a re-plan after growth at 26 k;
//! reading a households file.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use siting::test_utils::constrained_assignment;
use siting::{AzimuthalEquidistant, Projection};
use siting::{Objective, PlanConfig, Planner, Previous};

fn bench_assignment(c: &mut Criterion) {
    let mut group = c.benchmark_group("assignment");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let hh = siting::synth::households(n, 1);
        let proj = AzimuthalEquidistant::centered_on(hh.items.iter().map(|h| &h.position));
        let pts: Vec<[f64; 2]> = hh.items.iter().map(|h| proj.forward(h.position)).collect();
        let weights = vec![1u32; n];
        let k = (n as f64 / 450.0).round() as usize;
        // Centers: every (n/k)-th household, a deterministic spread-out choice.
        let centers: Vec<[f64; 2]> = (0..k).map(|j| pts[j * n / k]).collect();
        let lo = (0.9 * n as f64 / k as f64).floor() as u64;
        let hi = (1.1 * n as f64 / k as f64).ceil() as u64;
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| constrained_assignment(&pts, &weights, &centers, lo, hi))
        });
    }
    group.finish();
}

fn bench_plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    let planner = Planner::new(PlanConfig::default()).expect("default config is valid");
    for n in [10_000usize, 100_000] {
        let hh = siting::synth::households(n, 1);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| planner.plan(&hh))
        });
    }
    group.finish();
}

/// The full plan of the same 50 k households at smaller and smaller catchments (targets
/// 2,000, 450, 150 and 50 households, so k from 25 to 1,000): the cost should grow with
/// n·log k at most, never with n·k (issue 20). Compare each target's time with the
/// default's (450) in the same run.
fn bench_plan_over_k(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan_over_k");
    group.sample_size(10);
    let n = 50_000usize;
    let hh = siting::synth::households(n, 1);
    group.throughput(Throughput::Elements(n as u64));
    for target in [2_000u32, 450, 150, 50] {
        let config = PlanConfig::default().target_size(target);
        let planner = Planner::new(config).expect("config is valid");
        group.bench_with_input(BenchmarkId::new("target", target), &target, |b, _| {
            b.iter(|| planner.plan(&hh))
        });
    }
    group.finish();
}

/// The objectives on the same 20 k households (issue 19): `squared` (the reference),
/// `distance` without the improvement moves (`--effort 0`) and with their default budget.
/// Report each as a ratio to `squared` in the same run.
fn bench_objective(c: &mut Criterion) {
    let mut group = c.benchmark_group("objective");
    group.sample_size(10);
    let n = 20_000usize;
    let hh = siting::synth::households(n, 1);
    group.throughput(Throughput::Elements(n as u64));
    let runs = [
        ("squared", PlanConfig::default()),
        (
            "distance, effort 0",
            PlanConfig::default()
                .objective(Objective::Distance)
                .effort(0.0),
        ),
        (
            "distance, effort 1",
            PlanConfig::default().objective(Objective::Distance),
        ),
    ];
    for (name, config) in runs {
        let planner = Planner::new(config).expect("config is valid");
        group.bench_function(name, |b| b.iter(|| planner.plan(&hh)));
    }
    group.finish();
}

/// A re-plan after a year's growth (issue 17) against a fresh plan of the same file (the
/// reference; report the ratio): 24,000 generated households planned, then 3 % of them
/// dropped and 2,400 new ones spread like them, as `examples/replan.rs` makes them.
fn bench_replan(c: &mut Criterion) {
    let mut group = c.benchmark_group("replan");
    group.sample_size(10);
    let n = 24_000usize;
    let all = siting::synth::households(n + n / 10, 5);
    let (before, after) = siting::synth::years(&all, n, 33);
    let planner = Planner::new(PlanConfig::default()).expect("config is valid");
    let first = planner.plan(&before).expect("last year's plan");
    let previous = Previous::from_plan(&first, &before, None);
    group.throughput(Throughput::Elements(after.items.len() as u64));
    group.bench_function("fresh plan (reference)", |b| {
        b.iter(|| planner.plan(&after))
    });
    group.bench_function("re-plan after growth", |b| {
        b.iter(|| planner.replan(&after, &previous))
    });
    group.finish();
}

/// Scoring every proposal and running both award rules, against the plan time of the same
/// households as a reference (report the ratio).
fn bench_award(c: &mut Criterion) {
    let mut group = c.benchmark_group("award");
    group.sample_size(10);
    let planner = Planner::new(PlanConfig::default()).expect("default config is valid");
    let n = 100_000;
    let rows = siting::synth::generate(&siting::synth::GenerateOptions {
        households: n,
        ..Default::default()
    })
    .expect("generate");
    let hh = siting::synth::households(n, 1);
    let synth = siting::synth::applicants(&rows, 600, 1);
    let applicants = siting::Applicants {
        items: synth
            .iter()
            .map(|a| siting::Applicant {
                id: a.id.clone(),
                score: Some(f64::from(a.score)),
                eligible: a.eligible,
                max_centers: a.max_centers,
                proposals: a
                    .sites
                    .iter()
                    .enumerate()
                    .map(|(i, &position)| siting::Proposal {
                        preference: i as u8 + 1,
                        position,
                        line: 0,
                    })
                    .collect(),
                line: 0,
            })
            .collect(),
        ignored_columns: Vec::new(),
        rejected: Vec::new(),
    };
    let plan = planner.plan(&hh).expect("plan");
    group.bench_function("100000 households, 600 applicants", |b| {
        b.iter(|| planner.award_sites(&plan, &hh, &applicants))
    });
    group.finish();
}

/// Reading a generated national households file of 300,000 rows from memory, against a
/// bare pass of the csv crate over the same bytes (records counted, nothing parsed) as the
/// reference (report the ratio).
fn bench_read(c: &mut Criterion) {
    use siting::{ReadOptions, read_households};
    let rows = siting::synth::generate(&siting::synth::GenerateOptions {
        households: 300_000,
        provinces: Vec::new(),
        ..Default::default()
    })
    .expect("generating households");
    let mut text = Vec::new();
    siting::synth::write_csv(&rows, &mut text).expect("writing to memory");
    let options = ReadOptions {
        by: vec!["province".into()],
        ..ReadOptions::default()
    };
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("csv crate records (reference)", |b| {
        b.iter(|| {
            let mut reader = csv::Reader::from_reader(&text[..]);
            let mut record = csv::ByteRecord::new();
            let mut count = 0usize;
            while reader.read_byte_record(&mut record).expect("valid csv") {
                count += 1;
            }
            count
        })
    });
    group.bench_function("households, 300000 rows", |b| {
        b.iter(|| read_households(&text[..], "bench.csv".as_ref(), &options))
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_assignment,
    bench_plan,
    bench_plan_over_k,
    bench_objective,
    bench_replan,
    bench_award,
    bench_read
);
criterion_main!(benches);
