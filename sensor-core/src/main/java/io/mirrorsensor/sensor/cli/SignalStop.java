package io.mirrorsensor.sensor.cli;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM / Ctrl-C for the long-running commands (listen, capture): a shutdown hook that lets the
 * command's own thread stop the run, print its summary and close everything, then exits 0 (a clean
 * stop on a signal is a success; without this the JVM would exit 143 or 130).
 *
 * <p>Use: create it once the run has started; {@link #awaitStop()} until a signal (or {@link
 * #stopNow()}, when the run ends by itself); stop, print; then {@link #close()}, which releases
 * the hook.
 */
final class SignalStop implements AutoCloseable {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch printed = new CountDownLatch(1);
  private final Thread hook;
  /** Set by the hook thread when a signal started the JVM's shutdown. */
  private volatile boolean signalled;

  SignalStop() {
    hook = new Thread(() -> {
      signalled = true;
      stopped.countDown();
      try {
        printed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(0); // everything is flushed and closed by now
    }, "mirrorsensor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Ends {@link #awaitStop()} without a signal (the run failed or ended by itself). */
  void stopNow() {
    stopped.countDown();
  }

  void awaitStop() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Removes the hook so the JVM can exit with a status other than 0.
   *
   * @return false when a signal is already being handled (the hook will exit 0 after close)
   */
  boolean removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * The summary is printed: a pending signal may now end the JVM (with status 0). Without a
   * signal the hook is removed, so that an error path keeps its own exit status.
   */
  @Override
  public void close() {
    printed.countDown();
    if (!signalled) {
      removeHook();
    }
  }
}
