//! `grade --shard K/N`: grade only the K-th of N parts of the submissions, so that N machines
//! (a Slurm job array, a CI matrix) share a large class; `grade merge` joins their gradebooks.
//!
//! Every shard is given the same list of submissions and works out its part alone: the
//! submissions' ids sorted (byte order), every N-th from the K-th. So the parts depend on the
//! ids only, not on the order the shell listed the paths in; every submission is in exactly one
//! part, and the parts' sizes differ by at most one.

use std::fmt;
use std::str::FromStr;

/// The K-th of N shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub index: usize,
    /// N, at least 1.
    pub count: usize,
}

impl Shard {
    /// The positions in `ids` of the submissions this shard grades, in their original order:
    /// the ids sorted (byte order; equal ids by position), every `count`-th from the
    /// `index`-th.
    pub fn select(&self, ids: &[String]) -> Vec<usize> {
        let mut sorted: Vec<usize> = (0..ids.len()).collect();
        // Stable: equal ids keep their order.
        sorted.sort_by(|&a, &b| ids[a].as_bytes().cmp(ids[b].as_bytes()));
        let mut chosen: Vec<usize> = sorted
            .into_iter()
            .skip(self.index.saturating_sub(1))
            .step_by(self.count.max(1))
            .collect();
        chosen.sort_unstable();
        chosen
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `K/N`, e.g. `3/8`: K from 1 to N, N at least 1.
    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = "expected K/N, the K-th of N shards, e.g. `3/8`";
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a shard: {usage}"))?;
        let number = |part: &str, what: &str| {
            part.trim()
                .parse::<usize>()
                .map_err(|_| format!("`{text}`: {what} `{part}` is not a whole number; {usage}"))
        };
        let index = number(k, "K")?;
        let count = number(n, "N")?;
        if count == 0 {
            return Err(format!(
                "`{text}`: N is the number of shards and must be at least 1"
            ));
        }
        if !(1..=count).contains(&index) {
            return Err(format!(
                "`{text}`: K must be from 1 to N = {count} (shards are numbered from 1)"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    fn shard(text: &str) -> Shard {
        text.parse().unwrap()
    }

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn shards_parse_as_k_of_n() {
        assert_eq!(shard("3/8"), Shard { index: 3, count: 8 });
        assert_eq!(shard("1/1"), Shard { index: 1, count: 1 });
        assert_eq!(shard(" 2 / 2 ").to_string(), "2/2");
        let error = |text: &str| text.parse::<Shard>().unwrap_err();
        assert!(error("3").contains("expected K/N"), "{}", error("3"));
        assert!(error("").contains("expected K/N"));
        assert!(error("a/8").contains("K `a` is not a whole number"));
        assert!(error("1/x").contains("N `x` is not a whole number"));
        assert!(error("-1/8").contains("not a whole number"));
        assert!(error("1/2/3").contains("N `2/3`"));
        assert!(error("0/8").contains("K must be from 1 to N = 8"));
        assert!(error("9/8").contains("K must be from 1 to N = 8"));
        assert!(error("0/0").contains("at least 1"));
    }

    #[test]
    fn a_shard_takes_every_nth_sorted_id_in_the_original_order() {
        let given = ids(&["dave", "alice", "erin", "carol", "bob"]);
        // Sorted: alice bob carol dave erin.
        assert_eq!(shard("1/2").select(&given), [1, 2, 3]); // alice, erin, carol
        assert_eq!(shard("2/2").select(&given), [0, 4]); // dave, bob
        assert_eq!(shard("1/1").select(&given), [0, 1, 2, 3, 4]);
        assert_eq!(shard("5/5").select(&given), [2]); // erin
        assert_eq!(shard("7/8").select(&given), Vec::<usize>::new());
        // Byte order: upper case first.
        assert_eq!(shard("1/2").select(&ids(&["b", "a", "B"])), [0, 2]); // B, b
    }

    proptest! {
        #[test]
        fn shards_partition_any_list(
            given in prop::collection::vec("[a-zA-Z0-9_.-]{0,6}", 0..60),
            count in 1usize..12,
        ) {
            let parts: Vec<Vec<usize>> = (1..=count)
                .map(|index| Shard { index, count }.select(&given))
                .collect();
            let mut all: Vec<usize> = parts.concat();
            all.sort_unstable();
            prop_assert_eq!(all, (0..given.len()).collect::<Vec<_>>());
            let sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            prop_assert!(max - min <= 1, "sizes {:?}", sizes);
            for part in &parts {
                prop_assert!(part.windows(2).all(|w| w[0] < w[1]), "not in order: {:?}", part);
            }
        }

        #[test]
        fn the_parts_do_not_depend_on_the_order_given(
            (given, shuffled) in prop::collection::btree_set("[a-z0-9_.-]{1,6}", 0..40)
                .prop_map(|set| set.into_iter().collect::<Vec<String>>())
                .prop_flat_map(|ids| (Just(ids.clone()), Just(ids).prop_shuffle())),
            count in 1usize..6,
        ) {
            for index in 1..=count {
                let shard = Shard { index, count };
                let names = |list: &[String]| -> BTreeSet<String> {
                    shard.select(list).into_iter().map(|i| list[i].clone()).collect()
                };
                prop_assert_eq!(names(&given), names(&shuffled));
            }
        }
    }
}
