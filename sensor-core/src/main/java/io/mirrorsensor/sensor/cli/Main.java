package io.mirrorsensor.sensor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code mirrorsensor} command. */
@Command(
    name = "mirrorsensor",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Passive network sensor for AWS VPC Traffic Mirroring: VXLAN mirror traffic or"
        + " capture files in, EVE JSON findings and VPC Flow Logs records out.",
    subcommands = {ReplayCommand.class, ListenCommand.class, CaptureCommand.class,
        SendCommand.class, RulesCommand.class, ConfigCommand.class, ExtractCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit code: the input capture was damaged (everything before the damage was processed). */
  public static final int EXIT_DAMAGED = 3;
  /** Exit code: a file, directory or config could not be used. */
  public static final int EXIT_ERROR = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mirrorsensor " + (v == null ? "development build" : v)};
    }
  }
}
