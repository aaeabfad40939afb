//! Writes the DOT text of the chapter's graphs, one file each, to the folder
//! given (default: book/src/labs/img). Draw them with Graphviz:
//!
//! ```sh
//! cargo run -p taskgraph-solution --example draw_graphs -- book/src/labs/img
//! for f in book/src/labs/img/04-*.dot; do dot -Tsvg "$f" -o "${f%.dot}.svg"; done
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ndarray::Array2;

use taskgraph_solution::Graph;
use taskgraph_solution::chunked::cityblock_graph;
use taskgraph_solution::sleepy::{branchy_sum, square_square_add, sum_of_squares};

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "book/src/labs/img".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let pause = Duration::ZERO;
    let mut graphs: Vec<(&str, Graph)> = Vec::new();

    let mut g = Graph::new();
    square_square_add(&mut g, pause);
    graphs.push(("square-square-add", g));

    let mut g = Graph::new();
    sum_of_squares(&mut g, 10, pause);
    graphs.push(("sum-of-squares", g));

    let mut g = Graph::new();
    branchy_sum(&mut g, 10, pause);
    graphs.push(("branchy-sum", g));

    let mut g = Graph::new();
    let (x, y) = (Array2::zeros((12_000, 50)), Array2::zeros((12_000, 50)));
    cityblock_graph(&mut g, Arc::new(x), Arc::new(y), 4).expect("same columns");
    graphs.push(("chunked-cityblock", g));

    for (name, graph) in graphs {
        let path = dir.join(format!("04-{name}.dot"));
        std::fs::write(&path, graph.to_dot())?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
