//! The little async machinery plugin calls need, without an executor crate.
//!
//! A call is an `async fn` so that a guest waiting on HTTP can be suspended
//! (wasmi resumable call) while the browser's worker awaits `fetch()`.
//! Native callers and tests drive the same code with [`block_on`]: their
//! HTTP clients answer at once, so the future completes on its first poll.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The host's timer: a future that completes after the given milliseconds.
/// With one, a call may wait for an HTTP response asynchronously (meters are
/// updated and the deadline enforced while it waits); without one, HTTP
/// clients must answer at once.
pub type SleepFn = Rc<dyn Fn(f64) -> Pin<Box<dyn Future<Output = ()>>>>;

/// Polls `f` once with a no-op waker: `Some` when it is complete. Used by the
/// synchronous API, whose futures never wait (no [`SleepFn`], see
/// `run_sliced`), so `None` means a caller gave an asynchronous HTTP client
/// to a synchronous entry point.
pub fn block_on<F: Future>(f: F) -> Option<F::Output> {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

/// The message for [`block_on`]'s `None`.
pub const NOT_SYNCHRONOUS: &str = "the HTTP client answered asynchronously, but the plugin was run through the synchronous API (use the *_async functions with RunOptions::sleep)";

pub enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Whichever of `a` and `b` completes first (`a` wins a tie); the other is
/// left as it is (`a` by reference, so the caller can keep polling it).
pub(crate) fn first_of<'a, A, B>(a: &'a mut A, mut b: B) -> impl Future<Output = Either<A::Output, B::Output>> + 'a
where
    A: Future + Unpin,
    B: Future + Unpin + 'a,
{
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(v) = Pin::new(&mut *a).poll(cx) {
            return Poll::Ready(Either::Left(v));
        }
        if let Poll::Ready(v) = Pin::new(&mut b).poll(cx) {
            return Poll::Ready(Either::Right(v));
        }
        Poll::Pending
    })
}

/// Polls `f` once: its output if it is already complete, else the future
/// back (for callers that cannot wait).
pub fn now_or_never<F: Future + Unpin>(mut f: F) -> Result<F::Output, F> {
    let mut cx = Context::from_waker(Waker::noop());
    match Pin::new(&mut f).poll(&mut cx) {
        Poll::Ready(v) => Ok(v),
        Poll::Pending => Err(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pending on its first poll, ready on the second.
    struct Later(bool);
    impl Future for Later {
        type Output = u8;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u8> {
            if self.0 {
                Poll::Ready(7)
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn block_on_and_first_of() {
        assert_eq!(block_on(async { 3 }), Some(3));
        assert_eq!(block_on(Later(false)), None);
        let mut a = Later(false);
        match block_on(first_of(&mut a, std::future::ready(1))) {
            Some(Either::Right(1)) => {}
            _ => panic!("the ready future wins"),
        }
        // `a` was polled once and is kept: it answers on the next poll.
        assert!(matches!(now_or_never(a), Ok(7)));
        assert!(now_or_never(Later(false)).is_err());
    }
}
