// disassemble(obj): readable BPF instructions of every code section of an object, for
// `-d asm`. Uses LLVM's own BPF disassembler and printer, so the text reads like
// `llvm-objdump -d` (r0 = 2, exit, ...). One line per instruction, numbered in 8-byte
// slots as the verifier counts them (a 64-bit immediate load takes two slots).
#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstPrinter.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/Format.h>
#include <llvm/Support/raw_ostream.h>

#include <map>
#include <memory>
#include <string>

#include "args.h"
#include "errors.h"
#include "llvm_init.h"
#include "modules.h"

namespace nettrace {
namespace {

struct DisasmError {
  std::string message;
};

template <typename T>
T Require(llvm::Expected<T> value, const char* what) {
  if (!value) throw DisasmError{std::string(what) + ": " + llvm::toString(value.takeError())};
  return std::move(*value);
}

// The MC layer objects the printer needs, created once per call (cheap next to parsing).
struct Disassembler {
  std::unique_ptr<llvm::MCRegisterInfo> registers;
  std::unique_ptr<llvm::MCAsmInfo> asmInfo;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
  std::unique_ptr<llvm::MCInstrInfo> instructions;
  std::unique_ptr<llvm::MCContext> context;
  std::unique_ptr<llvm::MCDisassembler> decoder;
  std::unique_ptr<llvm::MCInstPrinter> printer;

  Disassembler() {
    InitializeBpfTarget();
    std::string error;
    const llvm::Target* target = llvm::TargetRegistry::lookupTarget(kBpfTriple, error);
    if (target == nullptr) throw DisasmError{"BPF target unavailable: " + error};
    llvm::Triple triple(kBpfTriple);
    llvm::MCTargetOptions options;
    registers.reset(target->createMCRegInfo(kBpfTriple));
    if (registers) asmInfo.reset(target->createMCAsmInfo(*registers, kBpfTriple, options));
    // v3 so ALU32 instructions decode with their w-register names.
    subtarget.reset(target->createMCSubtargetInfo(kBpfTriple, "v3", ""));
    instructions.reset(target->createMCInstrInfo());
    if (!registers || !asmInfo || !subtarget || !instructions) {
      throw DisasmError{"cannot set up the BPF disassembler"};
    }
    context = std::make_unique<llvm::MCContext>(triple, asmInfo.get(), registers.get(),
                                                subtarget.get());
    decoder.reset(target->createMCDisassembler(*subtarget, *context));
    printer.reset(target->createMCInstPrinter(triple, 0, *asmInfo, *instructions, *registers));
    if (!decoder || !printer) throw DisasmError{"cannot set up the BPF disassembler"};
  }
};

// Symbols and relocations of one section, by byte offset.
struct SectionNotes {
  std::multimap<uint64_t, std::string> labels;
  std::map<uint64_t, std::string> relocations;
};

SectionNotes CollectNotes(const llvm::object::ObjectFile& object,
                          const llvm::object::SectionRef& section) {
  SectionNotes notes;
  for (const llvm::object::SymbolRef& symbol : object.symbols()) {
    auto symbolSection = symbol.getSection();
    auto type = symbol.getType();
    auto name = symbol.getName();
    auto address = symbol.getAddress();
    if (!symbolSection || !type || !name || !address) {
      llvm::consumeError(symbolSection.takeError());
      llvm::consumeError(type.takeError());
      llvm::consumeError(name.takeError());
      llvm::consumeError(address.takeError());
      continue;
    }
    if (*symbolSection == section && *type == llvm::object::SymbolRef::ST_Function) {
      notes.labels.emplace(*address - section.getAddress(), name->str());
    }
  }
  for (const llvm::object::SectionRef& candidate : object.sections()) {
    auto target = candidate.getRelocatedSection();
    if (!target) {
      llvm::consumeError(target.takeError());
      continue;
    }
    if (*target != section) continue;
    for (const llvm::object::RelocationRef& relocation : candidate.relocations()) {
      std::string name = "?";
      llvm::object::symbol_iterator symbol = relocation.getSymbol();
      if (symbol != object.symbol_end()) {
        auto symbolName = symbol->getName();
        if (symbolName) name = symbolName->str();
        else llvm::consumeError(symbolName.takeError());
      }
      notes.relocations[relocation.getOffset()] = name;
    }
  }
  return notes;
}

std::string Disassemble(llvm::StringRef bytes) {
  llvm::MemoryBufferRef buffer(bytes, "object");
  std::unique_ptr<llvm::object::ObjectFile> object =
      Require(llvm::object::ObjectFile::createObjectFile(buffer), "not an object file");
  Disassembler disassembler;

  std::string text;
  llvm::raw_string_ostream out(text);
  for (const llvm::object::SectionRef& section : object->sections()) {
    if (!section.isText() || section.getSize() == 0) continue;
    std::string name = Require(section.getName(), "bad section name").str();
    llvm::StringRef contents = Require(section.getContents(), "bad section contents");
    llvm::ArrayRef<uint8_t> code(reinterpret_cast<const uint8_t*>(contents.data()),
                                 contents.size());
    SectionNotes notes = CollectNotes(*object, section);

    out << "section " << name << ":\n";
    uint64_t offset = 0;
    while (offset < code.size()) {
      auto [first, last] = notes.labels.equal_range(offset);
      for (auto it = first; it != last; ++it) out << it->second << ":\n";
      llvm::MCInst inst;
      uint64_t size = 0;
      auto status = disassembler.decoder->getInstruction(inst, size, code.slice(offset), offset,
                                                         llvm::nulls());
      out << llvm::format("%5llu: ", static_cast<unsigned long long>(offset / 8));
      if (status == llvm::MCDisassembler::Success && size > 0) {
        std::string line;
        llvm::raw_string_ostream lineStream(line);
        disassembler.printer->printInst(&inst, offset, "", *disassembler.subtarget, lineStream);
        lineStream.flush();
        // The printer indents with a tab and separates some operands with one; our own
        // column layout replaces the first, a space reads better for the others.
        size_t start = line.find_first_not_of(" \t");
        line = start == std::string::npos ? "" : line.substr(start);
        for (char& c : line) {
          if (c == '\t') c = ' ';
        }
        out << line;
      } else {
        size = 8;
        out << "<unknown instruction>";
      }
      auto relocation = notes.relocations.find(offset);
      if (relocation != notes.relocations.end()) out << "  ; reloc " << relocation->second;
      out << "\n";
      offset += size;
    }
  }
  out.flush();
  return text;
}

Napi::Value DisassembleExport(const Napi::CallbackInfo& info) {
  Napi::Buffer<uint8_t> object = args::Buffer(info, 0, "obj");
  try {
    return Napi::String::New(
        info.Env(),
        Disassemble(llvm::StringRef(reinterpret_cast<const char*>(object.Data()), object.Length())));
  } catch (const DisasmError& error) {
    Throw(info.Env(), Code::Other, error.message);
  }
}

}  // namespace

void RegisterDisasm(Napi::Env env, Napi::Object exports) {
  exports.Set("disassemble", Napi::Function::New(env, DisassembleExport, "disassemble"));
}

}  // namespace nettrace
