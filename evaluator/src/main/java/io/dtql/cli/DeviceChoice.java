package io.dtql.cli;

import ai.djl.Device;
import java.util.function.IntSupplier;

/** The {@code --device} flag: where the agent's tensors live. */
enum DeviceChoice {
  CPU,
  GPU,
  /** The first GPU when the engine sees one, else the CPU. */
  AUTO;

  /**
   * The DJL device for this choice; {@code gpuCount} asks the engine lazily, so choosing the CPU
   * never loads it.
   */
  Device resolve(IntSupplier gpuCount) {
    return switch (this) {
      case CPU -> Device.cpu();
      case GPU -> {
        if (gpuCount.getAsInt() <= 0) {
          throw new IllegalArgumentException("--device gpu: the PyTorch engine finds no GPU");
        }
        yield Device.gpu();
      }
      case AUTO -> gpuCount.getAsInt() > 0 ? Device.gpu() : Device.cpu();
    };
  }
}
