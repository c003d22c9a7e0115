//! Scheduling uneven pieces of work on the worker pool.
//!
//! A plan's pieces (regions, the border split's clusters) differ in size by two orders of
//! magnitude: Tehran has 500 catchments where most provinces have 20–60. Split as a
//! slice (rayon's halving), one thread can be handed the largest pieces one after the
//! other while the other runs out of work; started largest first from one queue, the
//! last pieces to start are the smallest, so the threads end together (longest
//! processing time first).

use rayon::prelude::*;

/// `run` applied to every item on the worker pool, largest first by `size` (ties in the
/// items' order); the results come back in the items' order, whatever the schedule.
pub(crate) fn largest_first<T: Send, R: Send>(
    items: Vec<T>,
    size: impl Fn(&T) -> usize,
    run: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<(usize, T)> = items.into_iter().enumerate().collect();
    order.sort_by_key(|(i, t)| (std::cmp::Reverse(size(t)), *i));
    let mut done: Vec<(usize, R)> = order
        .into_iter()
        .par_bridge()
        .map(|(i, t)| (i, run(t)))
        .collect();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order() {
        let items: Vec<usize> = vec![3, 50, 7, 50, 1, 900, 12];
        let out = largest_first(items.clone(), |&x| x, |x| x * 2);
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }
}
