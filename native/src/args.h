// Argument readers for the exported functions: each checks the JS type and throws a typed
// error (code OTHER) naming the argument, so a wrong call from TypeScript never turns
// into a crash or a silent zero.
#pragma once

#include <napi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "errors.h"

namespace nettrace::args {

inline Napi::Value At(const Napi::CallbackInfo& info, size_t i) {
  return i < info.Length() ? info[i] : info.Env().Undefined();
}

inline bool IsMissing(const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); }

inline int64_t IntegerValue(Napi::Env env, const Napi::Value& v, const std::string& name,
                            int64_t min, int64_t max) {
  if (!v.IsNumber()) Throw(env, Code::Other, name + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<int64_t>(d)) || d < static_cast<double>(min) ||
      d > static_cast<double>(max)) {
    Throw(env, Code::Other, name + " must be an integer in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "]");
  }
  return static_cast<int64_t>(d);
}

inline int32_t Int(const Napi::CallbackInfo& info, size_t i, const std::string& name,
                   int64_t min = INT32_MIN, int64_t max = INT32_MAX) {
  return static_cast<int32_t>(IntegerValue(info.Env(), At(info, i), name, min, max));
}

inline int Fd(const Napi::CallbackInfo& info, size_t i, const std::string& name = "fd") {
  return Int(info, i, name, 0, INT32_MAX);
}

inline std::string String(const Napi::CallbackInfo& info, size_t i, const std::string& name) {
  Napi::Value v = At(info, i);
  if (!v.IsString()) Throw(info.Env(), Code::Other, name + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

inline Napi::Buffer<uint8_t> Buffer(const Napi::CallbackInfo& info, size_t i,
                                    const std::string& name) {
  Napi::Value v = At(info, i);
  if (!v.IsBuffer()) Throw(info.Env(), Code::Other, name + " must be a Buffer");
  return v.As<Napi::Buffer<uint8_t>>();
}

inline Napi::Object Object(const Napi::CallbackInfo& info, size_t i, const std::string& name) {
  Napi::Value v = At(info, i);
  if (!v.IsObject()) Throw(info.Env(), Code::Other, name + " must be an object");
  return v.As<Napi::Object>();
}

// Fields of an options object: `Field*` for required ones, `Optional*` for optional ones
// (undefined and null both mean "not given").
inline int64_t FieldInt(const Napi::Object& o, const char* key, int64_t min, int64_t max) {
  return IntegerValue(o.Env(), o.Get(key), key, min, max);
}

inline std::optional<int64_t> OptionalInt(const Napi::Object& o, const char* key, int64_t min,
                                          int64_t max) {
  Napi::Value v = o.Get(key);
  if (IsMissing(v)) return std::nullopt;
  return IntegerValue(o.Env(), v, key, min, max);
}

inline std::string FieldString(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsString()) Throw(o.Env(), Code::Other, std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

inline std::optional<std::string> OptionalString(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (IsMissing(v)) return std::nullopt;
  if (!v.IsString()) Throw(o.Env(), Code::Other, std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

inline bool FieldBool(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsBoolean()) Throw(o.Env(), Code::Other, std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

inline Napi::Buffer<uint8_t> FieldBuffer(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsBuffer()) Throw(o.Env(), Code::Other, std::string(key) + " must be a Buffer");
  return v.As<Napi::Buffer<uint8_t>>();
}

inline std::vector<int> FieldIntArray(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) Throw(o.Env(), Code::Other, std::string(key) + " must be an array");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int> out(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) {
    out[i] = static_cast<int>(IntegerValue(o.Env(), a.Get(i),
                                           std::string(key) + "[" + std::to_string(i) + "]",
                                           INT32_MIN, INT32_MAX));
  }
  return out;
}

}  // namespace nettrace::args
