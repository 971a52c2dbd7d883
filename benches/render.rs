//! In-process benchmarks (`cargo bench`): spj's overhead over a bare Typst
//! compile of the same source, batch throughput sequential versus parallel,
//! and `check` over many cases. A small harness of our own (median of
//! repeated runs) keeps the dependency tree lean; `benches/run.sh` measures
//! the binary (startup, memory) and records the figures.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use spj::case::CaseFile;
use spj::framework::registry::Registry;
use spj::report::render::{OutputFormat, RenderOptions, Renderer};
use spj::report::template::Template;
use spj::report::world::{Engine, ReportWorld};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    f(); // warm-up: fonts are loaded once per process, as in real use
    median(
        (0..runs)
            .map(|_| {
                // Every run starts from cold memoisation caches, as a new
                // document does; otherwise repeated runs of one document
                // would measure cache hits.
                typst::comemo::evict(0);
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

fn main() {
    let runs: usize = std::env::var("SPJ_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let registry = Registry::discover(&[]).expect("bundled frameworks");
    let renderer = Renderer::new(
        Template::bundled().unwrap(),
        RenderOptions {
            format: OutputFormat::Pdf,
            standards: vec![],
        },
    );
    let example = &examples()[0];

    // 1. Full pipeline versus Typst alone on the same generated source.
    let full = time(runs, || {
        let (cf, fw) = CaseFile::load_pinned(example, &registry).unwrap();
        renderer.render(&cf, &fw).unwrap();
    });
    let (cf, fw) = CaseFile::load_pinned(example, &registry).unwrap();
    let source = renderer.source(&cf, &fw).unwrap();
    let engine = Engine::shared();
    let today = typst::foundations::Datetime::from_ymd(2026, 3, 20).unwrap();
    let alone = time(runs, || {
        let world = ReportWorld::new(
            engine.clone(),
            source.clone(),
            renderer.template.root.clone(),
            today,
        );
        let doc = typst::compile::<typst_layout::PagedDocument>(&world)
            .output
            .unwrap();
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).unwrap();
    });
    println!(
        "single render (median of {runs}): spj {:.1} ms, typst alone {:.1} ms, ratio {:.2}",
        ms(full),
        ms(alone),
        ms(full) / ms(alone)
    );

    // 2. Batch: N copies of every example, 1 job versus 2.
    let dir = tempfile::tempdir().unwrap();
    let copies = 8;
    let mut files = Vec::new();
    for (i, e) in examples().iter().enumerate() {
        for c in 0..copies {
            let p = dir.path().join(format!("{i}-{c}.yaml"));
            std::fs::copy(e, &p).unwrap();
            files.push(p);
        }
    }
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let batch = |workers| {
        let t = Instant::now();
        spj::report::batch::render_all(&files, &out, &renderer, &registry, None, workers, &|_| {})
            .unwrap();
        t.elapsed()
    };
    use spj::report::batch::Workers;
    // Sequential: one document after another on one thread.
    let sequential = Workers {
        documents: 1,
        threads_each: 1,
    };
    batch(Workers::for_jobs(2));
    let seq = batch(sequential);
    let one = batch(Workers::for_jobs(1));
    let par = batch(Workers::for_jobs(2));
    println!(
        "batch of {} cases: sequential on one thread {:.0} ms; --jobs 1 (one document at a \
         time, its layout on every core) {:.0} ms; --jobs 2 {:.0} ms; --jobs 2 vs sequential \
         {:.2}x, vs --jobs 1 {:.2}x",
        files.len(),
        ms(seq),
        ms(one),
        ms(par),
        ms(seq) / ms(par),
        ms(one) / ms(par)
    );

    // 3. check over 50 cases, in process.
    let fifty: Vec<PathBuf> = files.iter().cycle().take(50).cloned().collect();
    let check = time(runs, || {
        for f in &fifty {
            let (cf, fw) = CaseFile::load_pinned(f, &registry).unwrap();
            std::hint::black_box(spj::case::check::check(&cf, &fw.framework));
        }
    });
    println!(
        "check of 50 cases (in process, median of {runs}): {:.1} ms",
        ms(check)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
