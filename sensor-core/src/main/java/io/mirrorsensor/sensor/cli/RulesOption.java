package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.rules.Diagnostic;
import io.mirrorsensor.rules.LoadReport;
import io.mirrorsensor.rules.RuleLoadException;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Loads the rules given with {@code --rules} for replay and listen, and says what it loaded. */
final class RulesOption {
  private RulesOption() {}

  /**
   * Loads {@code files}; prints each rule error (file:line:column: reason) and the load report
   * (skipped rules counted by reason, not listed one by one: {@code rules check} lists them) to
   * {@code err}.
   *
   * @return the rule set, or null when a file cannot be read (the message says which)
   */
  static RuleSet load(List<Path> files, PrintStream err) {
    RuleSet set;
    try {
      set = RuleLoader.load(files, RuleOptions.defaults());
    } catch (IOException e) {
      err.println("mirrorsensor: cannot read rules: " + e.getMessage());
      return null;
    } catch (RuleLoadException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return null;
    }
    LoadReport r = set.report();
    printErrors(r, err);
    err.println("mirrorsensor: rules: " + r.summary());
    if (r.skipped() > 0) {
      err.println("mirrorsensor: rules: each skipped rule and why: mirrorsensor rules check FILE...");
    }
    return set;
  }

  /** Prints the rules with errors (not the skipped ones: the summary counts those by reason). */
  private static void printErrors(LoadReport r, PrintStream err) {
    for (Diagnostic d : r.diagnostics()) {
      if (d.severity() == Diagnostic.Severity.ERROR) {
        err.println("mirrorsensor: " + d);
      }
    }
  }

  /**
   * Hot reload of the {@code --rules} files for {@code listen}: on {@link #reload()} (called by
   * the file watch, SIGHUP, or anyone) the files are compiled on the reloader's own thread, off
   * the packet path, and the new set is published to the running workers ({@link
   * RuleSet#publish}): each switches at its next packet. A file that cannot be read, or any rule
   * with an error, keeps the old set, and the log says why.
   *
   * <p>Threads: {@link #reload()} may be called from any thread; loads run one at a time on the
   * reloader's thread ({@code mirrorsensor-rules-reload}); the watch polls on {@code
   * mirrorsensor-rules-watch}.
   */
  static final class Reloader implements AutoCloseable {
    private final List<Path> files;
    private final PrintStream err;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> daemon(r, "mirrorsensor-rules-reload"));
    private ScheduledExecutorService watch;
    /** Written and read on the reloader's thread only. */
    private RuleSet current;
    private long[] stamps;
    private volatile long reloads;
    private volatile long rejected;

    Reloader(List<Path> files, RuleSet initial, PrintStream err) {
      this.files = List.copyOf(files);
      this.current = initial;
      this.err = err;
      this.stamps = stamps();
    }

    private static Thread daemon(Runnable r, String name) {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    }

    /**
     * Loads the files again and publishes the new set when every rule compiled; blocks until
     * done.
     *
     * @return true when the new set was published
     */
    boolean reload() {
      try {
        return loader.submit(this::loadAndPublish).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        err.println("mirrorsensor: rules reload failed: " + e.getCause());
        return false;
      }
    }

    /** Starts a reload without waiting for it. */
    void reloadAsync() {
      loader.submit(this::loadAndPublish);
    }

    private boolean loadAndPublish() {
      stamps = stamps();
      RuleSet next;
      try {
        next = RuleLoader.reload(files, RuleOptions.defaults(), current);
      } catch (IOException e) {
        rejected++;
        err.println("mirrorsensor: rules reload: cannot read rules (" + e.getMessage()
            + "): keeping the loaded rules");
        return false;
      } catch (RuleLoadException e) {
        rejected++;
        err.println("mirrorsensor: rules reload: " + e.getMessage() + ": keeping the loaded rules");
        return false;
      }
      LoadReport r = next.report();
      if (r.failed() > 0) {
        rejected++;
        printErrors(r, err);
        err.println("mirrorsensor: rules reload: " + r.failed() + " rule(s) with errors: keeping"
            + " the loaded rules (" + current.report().loaded() + ")");
        return false;
      }
      next.publish();
      current = next;
      reloads++;
      err.println("mirrorsensor: rules reloaded: " + r.summary());
      return true;
    }

    /** Polls the files' modification times and sizes every {@code periodMillis}; reloads on a change. */
    void watch(long periodMillis) {
      watch = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mirrorsensor-rules-watch"));
      watch.scheduleWithFixedDelay(() -> {
        long[] now = stamps();
        if (!java.util.Arrays.equals(now, stamps)) {
          stamps = now;
          reload();
        }
      }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Reloads on SIGHUP, through {@code sun.misc.Signal} (module jdk.unsupported) when the JVM
     * has it; found by reflection so the build needs no internal API.
     *
     * @return false when SIGHUP cannot be handled here (no sun.misc.Signal, or HUP is reserved)
     */
    boolean onSighup() {
      try {
        Class<?> signal = Class.forName("sun.misc.Signal");
        Class<?> handler = Class.forName("sun.misc.SignalHandler");
        Object hup = signal.getConstructor(String.class).newInstance("HUP");
        Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
            (proxy, method, args) -> {
              if (method.getName().equals("handle")) {
                err.println("mirrorsensor: SIGHUP: reloading rules");
                reloadAsync();
              }
              return null;
            });
        signal.getMethod("handle", signal, handler).invoke(null, hup, h);
        return true;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        err.println("mirrorsensor: SIGHUP reload not available: " + e);
        return false;
      }
    }

    long reloads() {
      return reloads;
    }

    long rejected() {
      return rejected;
    }

    private long[] stamps() {
      long[] s = new long[files.size() * 2];
      for (int i = 0; i < files.size(); i++) {
        try {
          s[2 * i] = Files.getLastModifiedTime(files.get(i)).toMillis();
          s[2 * i + 1] = Files.size(files.get(i));
        } catch (IOException e) {
          s[2 * i] = -1;
        }
      }
      return s;
    }

    @Override
    public void close() {
      if (watch != null) {
        watch.shutdownNow();
      }
      loader.shutdownNow();
    }
  }
}
