//! The wait estimate shown to a queued customer.
//!
//! Method: from the last assignments in the customer's locale (at most
//! [`crate::handoff::RECENT_ASSIGNMENTS`]), the mean time between two consecutive assignments is
//! how long the queue takes to move one place; a customer at position `p` waits about `p`
//! times that. With a single past assignment, its own wait is used as the interval. With none,
//! there is no estimate (`null`): better no number than an invented one.

use crate::handoff::Assignment;

/// Seconds a customer at `position` (1-based) should expect to wait, if anything is known.
pub fn estimate_wait(recent: &[Assignment], position: u32) -> Option<u32> {
    let interval_ms = match recent {
        [] => return None,
        [only] => only.assigned_ms.saturating_sub(only.enqueued_ms),
        [first, .., last] => {
            (last.assigned_ms.saturating_sub(first.assigned_ms)) / (recent.len() as u64 - 1)
        }
    };
    let seconds = (interval_ms * u64::from(position.max(1))).div_ceil(1000);
    Some(seconds.min(u64::from(u32::MAX)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(enqueued_ms: u64, assigned_ms: u64) -> Assignment {
        Assignment {
            enqueued_ms,
            assigned_ms,
        }
    }

    #[test]
    fn no_history_means_no_estimate() {
        assert_eq!(estimate_wait(&[], 3), None);
    }

    #[test]
    fn one_assignment_uses_its_wait() {
        assert_eq!(estimate_wait(&[at(0, 30_000)], 1), Some(30));
        assert_eq!(estimate_wait(&[at(0, 30_000)], 2), Some(60));
    }

    #[test]
    fn the_queue_moves_at_the_pace_of_recent_assignments() {
        let recent = [at(0, 10_000), at(0, 70_000), at(0, 130_000)];
        assert_eq!(estimate_wait(&recent, 1), Some(60));
        assert_eq!(estimate_wait(&recent, 3), Some(180));
    }
}
