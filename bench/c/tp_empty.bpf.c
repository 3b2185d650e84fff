// The floor for tracepoints: a program that does nothing.
#include "common.h"

SEC("tracepoint")
int tp_empty(void *ctx) {
  return 0;
}
