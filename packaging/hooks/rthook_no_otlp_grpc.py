"""Chroma imports OpenTelemetry's gRPC span exporter when it starts, but builds one only when an
OpenTelemetry collector endpoint is configured, which this app never does. The frozen app leaves
grpc and protobuf out (17 MB) and answers that import with this stand-in instead."""

import sys
import types

_NAME = "opentelemetry.exporter.otlp.proto.grpc.trace_exporter"


class OTLPSpanExporter:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("this build of Desktop Search cannot export OpenTelemetry traces")


_module = types.ModuleType(_NAME, __doc__)
_module.OTLPSpanExporter = OTLPSpanExporter
sys.modules.setdefault(_NAME, _module)
