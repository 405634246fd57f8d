//! Figures: an image alone in a paragraph with a description becomes a
//! numbered figure with its caption in the EPUB, the web edition and the
//! PDF (tagged Figure with Alt, holding a Caption), at the width asked for,
//! floated to the next page when it does not fit.

mod common;
#[path = "common/figures.rs"]
mod figures_common;

use figures_common::{built, Manuscript};

const FILLER: &str = "ეს არის ტექსტი, რომელიც გვერდს ავსებს და სტრიქონებს ქმნის, რათა ნახატი გვერდის ბოლოს მოხვდეს.";

fn paragraphs(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| format!("{tag}{i} {}\n\n", FILLER.repeat(3)))
        .collect()
}

fn two_figures() -> Manuscript {
    let ch1 = format!(
        "# პირველი თავი\n\nშესავალი.\n\n![ქართლის რუკა](map.png){{#fig:map width=60%}}\n\n{}![მცირე სურათი](small.png)\n\nბოლო.\n",
        paragraphs(1, "ა")
    );
    Manuscript::new(
        &[("ch1.md", &ch1)],
        &[("map.png", 1200, 800), ("small.png", 300, 200)],
        "",
    )
}

#[test]
fn smoke() {
    let m = two_figures();
    let err = built(&m);
    eprintln!("{err}");
    let _ = std::process::Command::new("cp").arg("-r").arg(m.out()).arg("/work/tmp-figures/smoke").status();
    std::fs::copy(m.pdf(), "/work/tmp-figures/smoke.pdf").unwrap();
}
