package io.mirrorsensor.sensor.cli;

/** Entry point of the {@code mirrorsensor} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("mirrorsensor");
  }
}
