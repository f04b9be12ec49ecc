package io.mirrorsensor.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/** State shared by all rules of one load: variables, classification table, flowbit names. */
final class LoadEnv {
  final Map<String, String> vars;
  final Map<String, Classification.Entry> classes;
  final KeywordRegistry registry;
  /** Flowbit name to bit index, in order of first mention. */
  final Map<String, Integer> flowbits = new LinkedHashMap<>();
  final Map<String, Boolean> flowbitSet = new LinkedHashMap<>();
  final Map<String, String> flowbitCheckedAt = new LinkedHashMap<>();
  /** Flowint name to slot, in order of first mention. */
  final Map<String, Integer> flowints = new LinkedHashMap<>();
  int regexSlots;

  LoadEnv(Map<String, String> vars, Map<String, Classification.Entry> classes, KeywordRegistry r) {
    this.vars = vars;
    this.classes = classes;
    this.registry = r;
  }

  int flowbit(String name) {
    return flowbits.computeIfAbsent(name, n -> flowbits.size());
  }

  int flowint(String name) {
    return flowints.computeIfAbsent(name, n -> flowints.size());
  }
}
