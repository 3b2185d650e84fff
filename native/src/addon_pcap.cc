// Entry point of nettrace_pcap.node: libpcap's filter compiler, nothing else. The
// compiler turns `pcap("tcp port 80")` into classic BPF here (pcap_compile on a dead
// handle: no device is opened, no packet is read) and translates that program into the
// probe's own LLVM IR in TypeScript (src/codegen/pcap/). A module of its own so that
// neither the emitter nor the runtime addon links libpcap.
#include <pcap/pcap.h>
#include <napi.h>

#include <string>

namespace nettrace {
namespace {

// compilePcapFilter(filter, linktype, snaplen) ->
//   { ok: true, insns: [[code, jt, jf, k], ...] } or { ok: false, message }
Napi::Value CompilePcapFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "compilePcapFilter(filter: string, linktype: number, snaplen: number)");
  }
  std::string filter = info[0].As<Napi::String>().Utf8Value();
  int linktype = info[1].As<Napi::Number>().Int32Value();
  int snaplen = info[2].As<Napi::Number>().Int32Value();

  Napi::Object result = Napi::Object::New(env);
  pcap_t* dead = pcap_open_dead(linktype, snaplen);
  if (dead == nullptr) {
    result.Set("ok", false);
    result.Set("message", "pcap_open_dead failed");
    return result;
  }
  struct bpf_program program = {};
  // netmask PCAP_NETMASK_UNKNOWN: `ip broadcast` is then refused with libpcap's message.
  if (pcap_compile(dead, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    result.Set("ok", false);
    result.Set("message", std::string(pcap_geterr(dead)));
    pcap_close(dead);
    return result;
  }
  Napi::Array insns = Napi::Array::New(env, program.bf_len);
  for (unsigned i = 0; i < program.bf_len; i++) {
    const struct bpf_insn& in = program.bf_insns[i];
    Napi::Array row = Napi::Array::New(env, 4);
    row.Set(0u, Napi::Number::New(env, in.code));
    row.Set(1u, Napi::Number::New(env, in.jt));
    row.Set(2u, Napi::Number::New(env, in.jf));
    row.Set(3u, Napi::Number::New(env, in.k));
    insns.Set(i, row);
  }
  pcap_freecode(&program);
  pcap_close(dead);
  result.Set("ok", true);
  result.Set("insns", insns);
  return result;
}

}  // namespace
}  // namespace nettrace

static Napi::Object InitNettracePcap(Napi::Env env, Napi::Object exports) {
  exports.Set("compilePcapFilter", Napi::Function::New(env, nettrace::CompilePcapFilter));
  return exports;
}

NODE_API_MODULE(nettrace_pcap, InitNettracePcap)
