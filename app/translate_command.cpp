// `sixgate translate`: the stateless translator (RFC 7915) over a capture, offline.

#include <filesystem>
#include <iostream>
#include <memory>
#include <system_error>

#include "app/capture/capture_reader.hpp"
#include "app/capture/capture_writer.hpp"
#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/translate_options.hpp"
#include "app/translate_report.hpp"
#include "app/translate_run.hpp"

namespace sixgate::app {
namespace {

constexpr const char* kPrefix = "sixgate translate: error: ";

void print_error(const std::string& message) {
    // A config file's diagnostics are several lines already prefixed with file:line:column.
    std::cerr << kPrefix << message;
    if (!message.ends_with('\n')) std::cerr << '\n';
}

bool same_file(const std::string& a, const std::string& b) {
    std::error_code error;
    return std::filesystem::equivalent(a, b, error) && !error;
}

int run_translate(const TranslateOptions& options) {
    auto setup = resolve_translate_options(options);
    if (!setup) {
        print_error(setup.error().message);
        return kExitUsage;
    }
    // Creating the output truncates it: never when it is the input.
    if (same_file(options.input, options.output)) {
        print_error("--out " + options.output +
                    " is the same file as --in: the input would be "
                    "overwritten before it is read");
        return kExitUsage;
    }
    auto reader = capture::CaptureReader::open(options.input);
    if (!reader) {
        print_error(reader.error().message);
        return kExitFailure;
    }
    auto writer = capture::CaptureWriter::create(options.output);
    if (!writer) {
        print_error(writer.error().message);
        return kExitFailure;
    }

    CaptureTranslator translator(std::move(setup->parts));
    TranslateSummary summary;
    auto ran = translator.run(*reader, *writer, summary, options.verbose ? &std::cout : nullptr);
    auto closed = writer->close();
    if (ran && !closed) summary.complete = false;
    if (options.verbose) std::cout << '\n';  // the per-record lines, then the table
    std::cout << (options.json ? render_translate_json(summary) : render_translate_table(summary));
    std::cout.flush();
    if (!ran) {
        print_error(ran.error().message);
        return kExitFailure;
    }
    if (!closed) {
        print_error(closed.error().message);
        return kExitFailure;
    }
    return kExitOk;
}

}  // namespace

void add_translate_command(CLI::App& app, CommandRunner& run) {
    auto options = std::make_shared<TranslateOptions>();
    CLI::App* command = app.add_subcommand(
        "translate", "Translate a capture offline, statelessly (RFC 7915), as the CLAT/PLAT would");
    command->footer(
        "Reads pcap or pcapng (raw IP, Ethernet, Linux cooked), writes raw-IP pcap: each IPv4\n"
        "packet translated to IPv6 and each IPv6 packet to IPv4, as a router (TTL/hop limit\n"
        "decremented); ICMP errors the translator sends back are written too. Options override\n"
        "the -c file's translation: section (pool6 from clat.plat_prefix when literal, else\n"
        "plat.prefix); a repeated option replaces the file's list.\n"
        "Without --ipv4-address or --rfc6791-pool, ICMPv4 errors come from 192.0.0.8 (RFC 7600).\n"
        "Examples:\n"
        "  sixgate translate --in ping.pcap --out ping6.pcap --pool6 64:ff9b::/96\n"
        "  sixgate translate --in clat.pcapng --out out.pcap --pool6 2001:db8:64::/96 \\\n"
        "      --eam 192.0.0.1=2001:db8:1::c1a7 --ipv6-address 2001:db8::1 --verbose\n"
        "  sixgate translate -c config/examples/clat.yaml --pool6 64:ff9b::/96 --in a.pcap --out "
        "b.pcap --json\n"
        "Exit status: 0 processed (drops are not failures), 1 a file cannot be read or written,\n"
        "2 bad options or config.");
    command->add_option("--in", options->input, "Capture to translate (pcap or pcapng)")
        ->type_name("FILE")
        ->required();
    command->add_option("--out", options->output, "Capture to write (pcap, raw IP)")
        ->type_name("FILE")
        ->required();
    command
        ->add_option("-c,--config", options->config_path,
                     "Config file whose translation: section (and PLAT prefix) to use")
        ->type_name("FILE");
    command
        ->add_option("--pool6", options->pool6,
                     "RFC 6052 translation prefix (/32, /40, /48, /56, /64 or /96)")
        ->type_name("PREFIX");
    command
        ->add_option("--eam", options->eam,
                     "Explicit address mapping V4PREFIX=V6PREFIX (RFC 7757), repeatable")
        ->type_name("V4=V6")
        ->take_all()
        ->allow_extra_args(false);
    command
        ->add_option("--rfc6791-pool", options->rfc6791_pool,
                     "IPv4 source pool for translated ICMP errors (RFC 6791), repeatable")
        ->type_name("PREFIX")
        ->allow_extra_args(false);
    command
        ->add_option("--ipv4-address", options->ipv4_address,
                     "The translator's own IPv4 address, source of the ICMPv4 errors it sends")
        ->type_name("A.B.C.D");
    command
        ->add_option("--ipv6-address", options->ipv6_address,
                     "The translator's own IPv6 address, source of the ICMPv6 errors it sends")
        ->type_name("ADDRESS");
    command
        ->add_option("--lowest-ipv6-mtu", options->lowest_ipv6_mtu,
                     "Fragment DF-clear IPv4 packets to fit this (RFC 7915 4.1; default 1280)")
        ->type_name("BYTES");
    command
        ->add_option("--ipv6-mtu", options->ipv6_mtu,
                     "MTU of the IPv6 next-hop link (default unknown)")
        ->type_name("BYTES");
    command
        ->add_option("--ipv4-mtu", options->ipv4_mtu,
                     "MTU of the IPv4 next-hop link (default unknown)")
        ->type_name("BYTES");
    command
        ->add_option("--udp-zero-checksum", options->udp_zero_checksum,
                     "IPv4 UDP with checksum 0: compute or drop (RFC 7915 4.5; default compute)")
        ->type_name("compute|drop");
    command->add_flag("--no-decrement", options->no_decrement,
                      "Act as a host-side translator: do not decrement TTL / hop limit");
    auto* json = command->add_flag("--json", options->json, "Print the summary as one JSON object");
    auto* verbose = command->add_flag("-v,--verbose", options->verbose,
                                      "Print one line per record: in, verdict, out");
    json->excludes(verbose);
    command->callback([options, &run] { run = [options] { return run_translate(*options); }; });
}

}  // namespace sixgate::app
