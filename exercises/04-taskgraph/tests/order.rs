//! Exercise 1: the order of a graph, and its picture (src/order.rs).
//! Run: cargo test -p taskgraph --test order

use taskgraph::GraphError;
use taskgraph::order::{check_deps, levels, to_dot, topological_order};

/// The notebook's first graph: x = square(1), y = square(2), z = add(x, y).
fn square_square_add() -> (Vec<&'static str>, Vec<Vec<usize>>) {
    (
        vec!["square", "square", "add"],
        vec![vec![], vec![], vec![0, 1]],
    )
}

fn assert_valid_order(order: &[usize], deps: &[Vec<usize>]) {
    let mut position = vec![usize::MAX; deps.len()];
    for (at, &task) in order.iter().enumerate() {
        assert_eq!(
            position[task],
            usize::MAX,
            "task {task} appears twice in {order:?}: each task runs once"
        );
        position[task] = at;
    }
    assert!(
        position.iter().all(|&p| p != usize::MAX),
        "{order:?} leaves out some of the {} tasks",
        deps.len()
    );
    for (task, needs) in deps.iter().enumerate() {
        for &d in needs {
            assert!(
                position[d] < position[task],
                "in {order:?}, task {task} comes before its dependency {d}"
            );
        }
    }
}

#[test]
fn a_topological_order_puts_every_task_after_its_dependencies() {
    let (names, deps) = square_square_add();
    assert_eq!(
        topological_order(&names, &deps),
        Ok(vec![0, 1, 2]),
        "both squares (smallest id first), then add"
    );
    // A diamond and a chain, numbered against the order: 5 → 3 → {1, 4} → 0 → 2.
    let deps = vec![vec![1, 4], vec![3], vec![0], vec![5], vec![3], vec![]];
    let names = vec!["t"; deps.len()];
    let order = topological_order(&names, &deps).unwrap_or_else(|e| panic!("{e}"));
    assert_valid_order(&order, &deps);
    assert_eq!(
        order,
        vec![5, 3, 1, 4, 0, 2],
        "of the ready tasks, the smallest id first"
    );
}

#[test]
fn a_task_may_use_the_same_dependency_twice() {
    // add(x, x): x is needed once, whatever the number of arguments it feeds.
    let deps = vec![vec![], vec![0, 0]];
    assert_eq!(topological_order(&["x", "add"], &deps), Ok(vec![0, 1]));
}

#[test]
fn a_cycle_is_an_error_naming_the_tasks_on_it() {
    // a needs c, b needs a, c needs b; d needs nothing and is fine.
    let names = ["a", "b", "c", "d"];
    let deps = vec![vec![2], vec![0], vec![1], vec![]];
    match topological_order(&names, &deps) {
        Err(GraphError::Cycle { tasks }) => {
            let mut sorted = tasks.clone();
            sorted.sort();
            assert_eq!(
                sorted,
                ["a", "b", "c"],
                "the cycle is a → c → b → a; d is not on it: {tasks:?}"
            );
        }
        other => panic!("a cycle must be Err(GraphError::Cycle), not {other:?}"),
    }
    assert!(
        matches!(
            topological_order(&["self"], &[vec![0]]),
            Err(GraphError::Cycle { .. })
        ),
        "a task that needs itself is a cycle of one"
    );
}

#[test]
fn an_unknown_dependency_is_an_error_naming_the_task() {
    let error = check_deps(&["a", "b"], &[vec![], vec![7]]).expect_err("task 7 does not exist");
    assert_eq!(
        error,
        GraphError::UnknownDependency {
            task: "b".into(),
            dependency: 7,
            tasks: 2
        }
    );
    assert_eq!(check_deps(&["a", "b"], &[vec![], vec![0]]), Ok(()));
    assert!(
        topological_order(&["a", "b"], &[vec![], vec![7]]).is_err(),
        "topological_order checks the dependencies first"
    );
}

#[test]
fn levels_group_the_tasks_that_can_run_together() {
    let (names, deps) = square_square_add();
    assert_eq!(
        levels(&names, &deps),
        Ok(vec![vec![0, 1], vec![2]]),
        "two levels: the squares together, then add: 2 pauses instead of 3"
    );
    // Ten squares and a sum: 2 levels however many squares.
    let mut deps: Vec<Vec<usize>> = vec![vec![]; 10];
    deps.push((0..10).collect());
    let names = vec!["t"; 11];
    let levels = levels(&names, &deps).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(levels.len(), 2);
    assert_eq!(levels[0], (0..10).collect::<Vec<_>>());
    // A chain is as many levels as tasks.
    let chain: Vec<Vec<usize>> = (0..4)
        .map(|t| if t == 0 { vec![] } else { vec![t - 1] })
        .collect();
    assert_eq!(
        levels_of(&chain),
        vec![vec![0], vec![1], vec![2], vec![3]],
        "a chain cannot run two tasks at once"
    );
}

fn levels_of(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    levels(&vec!["t"; deps.len()], deps).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn to_dot_draws_a_node_per_task_and_an_edge_per_dependency() {
    let (names, deps) = square_square_add();
    let dot = to_dot(&names, &deps);
    assert!(
        dot.trim_start().starts_with("digraph"),
        "a DOT digraph:\n{dot}"
    );
    assert!(dot.contains("rankdir=LR"), "drawn left to right:\n{dot}");
    for node in [
        "t0 [label=\"square\"]",
        "t1 [label=\"square\"]",
        "t2 [label=\"add\"]",
    ] {
        assert!(dot.contains(node), "missing `{node}`:\n{dot}");
    }
    for edge in ["t0 -> t2", "t1 -> t2"] {
        assert!(
            dot.contains(edge),
            "missing `{edge}`: an edge goes from the dependency to the task that needs it:\n{dot}"
        );
    }
    assert_eq!(
        dot.matches("->").count(),
        2,
        "exactly one edge per dependency:\n{dot}"
    );
    assert!(dot.trim_end().ends_with('}'));
}

#[test]
fn to_dot_escapes_quotes_in_names() {
    let dot = to_dot(&["say \"hi\""], &[vec![]]);
    assert!(
        dot.contains(r#"label="say \"hi\"""#),
        "a quote inside a label is written \\\" in DOT:\n{dot}"
    );
}
