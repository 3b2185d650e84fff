// Each source file registers its own exports; addon.cc calls these in order.
#pragma once

#include <napi.h>

namespace nettrace {

void RegisterEmit(Napi::Env env, Napi::Object exports);      // emit.cc: emitObject
void RegisterDisasm(Napi::Env env, Napi::Object exports);    // disasm.cc: disassemble
void RegisterMaps(Napi::Env env, Napi::Object exports);      // maps.cc: createMap, map*
void RegisterLoad(Napi::Env env, Napi::Object exports);      // load.cc: loadProgram, progInfo, progTestRun
void RegisterAttach(Napi::Env env, Napi::Object exports);    // attach.cc: link attaches, closeFd, interfaces
void RegisterPerfAttach(Napi::Env env, Napi::Object exports);  // perf_attach.cc: tracepoints, kprobes, timers
void RegisterTcClassic(Napi::Env env, Napi::Object exports);   // tc_classic.cc: clsact + cls_bpf
void RegisterFeatures(Napi::Env env, Napi::Object exports);  // features.cc: probeFeature
void RegisterRingBuf(Napi::Env env, Napi::Object exports);   // ringbuf.cc: openRingBuffer
void RegisterIds(Napi::Env env, Napi::Object exports);       // ids.cc: listKernelObjects, linkInfo
void RegisterPreload(Napi::Env env, Napi::Object exports);   // preload.cc: preloadLibrary

}  // namespace nettrace
