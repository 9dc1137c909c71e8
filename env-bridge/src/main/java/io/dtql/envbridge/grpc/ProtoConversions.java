package io.dtql.envbridge.grpc;

import io.dtql.envbridge.AutoReset;
import io.dtql.envbridge.BoxSpec;
import io.dtql.envbridge.DType;
import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.InfoSpec;
import io.dtql.envbridge.ServerInfo;
import io.dtql.envbridge.TaskSpec;
import io.dtql.proto.env.v1.AutoResetMode;
import io.dtql.proto.env.v1.HandshakeResponse;
import io.dtql.proto.env.v1.ServerLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates between generated contract messages and the bridge's plain records. Malformed messages
 * throw {@link IllegalArgumentException} naming the field.
 */
final class ProtoConversions {

  private ProtoConversions() {}

  static DType dtype(io.dtql.proto.env.v1.DType dtype, String field) {
    return switch (dtype) {
      case DTYPE_FLOAT32 -> DType.FLOAT32;
      case DTYPE_FLOAT64 -> DType.FLOAT64;
      case DTYPE_INT32 -> DType.INT32;
      case DTYPE_INT64 -> DType.INT64;
      case DTYPE_BOOL -> DType.BOOL;
      case DTYPE_UINT8 -> DType.UINT8;
      default -> throw new IllegalArgumentException(field + ": unsupported dtype " + dtype);
    };
  }

  static io.dtql.proto.env.v1.DType dtype(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> io.dtql.proto.env.v1.DType.DTYPE_FLOAT32;
      case FLOAT64 -> io.dtql.proto.env.v1.DType.DTYPE_FLOAT64;
      case INT32 -> io.dtql.proto.env.v1.DType.DTYPE_INT32;
      case INT64 -> io.dtql.proto.env.v1.DType.DTYPE_INT64;
      case BOOL -> io.dtql.proto.env.v1.DType.DTYPE_BOOL;
      case UINT8 -> io.dtql.proto.env.v1.DType.DTYPE_UINT8;
    };
  }

  static AutoResetMode autoReset(AutoReset mode) {
    return switch (mode) {
      case NEXT_STEP -> AutoResetMode.AUTORESET_NEXT_STEP;
      case DISABLED -> AutoResetMode.AUTORESET_DISABLED;
    };
  }

  static EnvStatus envStatus(io.dtql.proto.env.v1.EnvStatus status, String field) {
    return switch (status) {
      case ENV_STATUS_OK -> EnvStatus.OK;
      case ENV_STATUS_PHYSICS_UNSTABLE -> EnvStatus.PHYSICS_UNSTABLE;
      default -> throw new IllegalArgumentException(field + ": unknown env status " + status);
    };
  }

  static BoxSpec boxSpec(io.dtql.proto.env.v1.BoxSpec box, String field) {
    long[] shape = new long[box.getShapeCount()];
    int[] intShape = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = box.getShape(i);
      intShape[i] = Math.toIntExact(shape[i]);
    }
    double[] low = TensorCodec.decodeDoubles(box.getLow(), field + ".low", shape);
    double[] high = TensorCodec.decodeDoubles(box.getHigh(), field + ".high", shape);
    try {
      return new BoxSpec(dtype(box.getDtype(), field + ".dtype"), intShape, low, high);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  static TaskSpec taskSpec(io.dtql.proto.env.v1.TaskSpec spec) {
    String field = "TaskSpec(" + spec.getTaskId() + ")";
    if (!spec.hasObservation() || !spec.hasAction()) {
      throw new IllegalArgumentException(field + ": observation and action specs are required");
    }
    return new TaskSpec(
        spec.getTaskId(),
        spec.getEnvId(),
        spec.getDescription(),
        boxSpec(spec.getObservation(), field + ".observation"),
        boxSpec(spec.getAction(), field + ".action"),
        Math.toIntExact(Integer.toUnsignedLong(spec.getMaxEpisodeSteps())),
        spec.getControlTimestep(),
        spec.getSimulator(),
        spec.getSimulatorVersion(),
        spec.getModelSha256(),
        spec.getMetadataMap(),
        infoSpecs(spec.getInfosList(), field + ".infos"));
  }

  static List<InfoSpec> infoSpecs(List<io.dtql.proto.env.v1.InfoSpec> infos, String field) {
    List<InfoSpec> out = new ArrayList<>(infos.size());
    for (int i = 0; i < infos.size(); i++) {
      io.dtql.proto.env.v1.InfoSpec info = infos.get(i);
      int[] shape = new int[info.getShapeCount()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = Math.toIntExact(info.getShape(d));
      }
      try {
        out.add(new InfoSpec(info.getName(), shape, info.getDescription()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return out;
  }

  static ServerInfo serverInfo(HandshakeResponse response) {
    ServerLimits limits = response.getLimits();
    return new ServerInfo(
        response.getServerVersion().getMajor(),
        response.getServerVersion().getMinor(),
        response.getServerName(),
        response.getCapabilitiesList(),
        saturatedInt(limits.getMaxSessions()),
        saturatedInt(limits.getMaxEnvsPerSession()),
        limits.getMaxMessageBytes() < 0 ? Long.MAX_VALUE : limits.getMaxMessageBytes(),
        limits.getDefaultIdleTimeoutSeconds());
  }

  /** uint32 read as a Java int: values above Integer.MAX_VALUE mean "effectively unlimited". */
  private static int saturatedInt(int unsigned) {
    return unsigned < 0 ? Integer.MAX_VALUE : unsigned;
  }
}
