#[test]
#[ignore]
fn prof() {
    let l = tsigni::load(std::path::Path::new("manuscript")).unwrap_or_else(|_| panic!());
    let mut long = l.book.clone();
    long.chapters.clear();
    for k in 0..25 {
        for ch in &l.book.chapters {
            let mut ch = ch.clone();
            ch.id = format!("{}-{k}", ch.id);
            for b in &mut ch.blocks {
                if let tsigni::model::Block::Heading(h) = b {
                    h.id = format!("{}-{k}", h.id);
                }
            }
            long.chapters.push(ch);
        }
    }
    let std = std::env::var("STD").unwrap_or("pdf-a-2u".into());
    long.config.pdf.standard = std;
    for _ in 0..std::env::var("ITER")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
    {
        let t = std::time::Instant::now();
        let laid = tsigni::pdf::layout(&long, &l.fonts, &l.cover).unwrap();
        let t1 = t.elapsed();
        eprintln!("after layout rss {}", rss());
        let out = tsigni::pdf::emit::emit(&laid, &l.fonts, None, &long, &[]).unwrap();
        eprintln!(
            "layout {:?} emit {:?} {} rss {}",
            t1,
            t.elapsed() - t1,
            out.len(),
            rss()
        );
    }
}

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .collect::<Vec<_>>()
        .join(" ")
}
