"""A gRPC server that hosts Gymnasium MuJoCo tasks behind the dtql.env.v1 contract."""

PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 2
