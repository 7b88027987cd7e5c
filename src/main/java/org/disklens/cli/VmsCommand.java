package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.disklens.image.OpenPolicy;
import org.disklens.vm.Domain;
import org.disklens.vm.DomainDisk;
import org.disklens.vm.DomainUpdater;
import org.disklens.vm.VirtualMachines;

/**
 * {@code vms}: the libvirt domains of this host and their disks; with {@code --uses FILE} the ones that use an
 * image (warning where the declared driver type is not the file's format); with {@code --repoint} a copy of a
 * domain's definition pointing at another file.
 */
final class VmsCommand implements Verb {
    Path folder = VirtualMachines.DEFAULT_FOLDER;

    boolean json;

    Path uses;

    String repoint;

    Path from;

    Path to;

    boolean inPlace;

    boolean allowOutside;

    @Override
    public Syntax syntax() {
        return new Syntax(DiskLensCommand.commandName("vms"),
                        "List libvirt domains and their disks, find who uses an image, or re-point a domain.")
                .option("--dir", "DIR", "Folder of domain XMLs (default /etc/libvirt/qemu).", value -> folder = Path.of(value))
                .flag("--json", "Print JSON.", () -> json = true)
                .flag("--allow-outside", "With --uses: follow backing files that images name outside their folders "
                        + "(a domain's own disk sources are always read).", () -> allowOutside = true)
                .option("--uses", "FILE", "Only the domains that use FILE, directly or as a backing layer.",
                        value -> uses = Path.of(value))
                .option("--repoint", "NAME", "Write NAME.xml.disklens-new with --from's disk pointing at --to.",
                        value -> repoint = value)
                .option("--from", "OLD", "With --repoint: the image the domain uses now.", value -> from = Path.of(value))
                .option("--to", "NEW", "With --repoint: the image it should use (its format is probed).",
                        value -> to = Path.of(value))
                .flag("--apply-in-place", "With --repoint: rewrite NAME.xml itself (a backup is kept beside it).",
                        () -> inPlace = true);
    }

    @Override
    public String subject(Throwable failure) {
        return uses != null ? uses.toString() : folder.toString();
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        if (repoint != null) {
            return repoint(out);
        }
        VirtualMachines.Scan scan = VirtualMachines.scan(folder);
        scan.problems().forEach(problem -> err.println("disklens: " + problem));
        err.flush();
        if (uses != null) {
            printUsages(out, err, VirtualMachines.usesOf(scan.domains(), uses, new OpenPolicy(allowOutside)));
        } else if (json) {
            Json.print(out, scan.domains().stream().map(VmsCommand::domainFields).toList());
        } else {
            printDomains(out, scan.domains());
        }
        out.flush();
        return scan.problems().isEmpty() ? 0 : 1;
    }

    private int repoint(PrintWriter out) throws IOException {
        if (from == null || to == null) {
            throw new IOException("--repoint needs --from OLD and --to NEW");
        }
        String type = VirtualMachines.probe(to).map(format -> format.equals("iso") ? "raw" : format)
                .orElseThrow(() -> new IOException("cannot read " + to + " to find its format"));
        Path definition = folder.resolve(repoint + ".xml");
        DomainUpdater.Result result = inPlace
                ? DomainUpdater.applyInPlace(definition, from.toAbsolutePath(), to.toAbsolutePath(), type)
                : DomainUpdater.writeUpdatedCopy(definition, from.toAbsolutePath(), to.toAbsolutePath(), type);
        out.printf("Wrote %s: domain %s now uses %s (%s).%n%s: %s%n", result.written(), result.domainName(), to, type,
                inPlace ? "To reload it" : "To apply it", result.virshStep());
        out.flush();
        return 0;
    }

    private void printUsages(PrintWriter out, PrintWriter err, List<VirtualMachines.Usage> usages) throws IOException {
        for (VirtualMachines.Usage usage : usages) {
            usage.warning().ifPresent(warning -> err.println("disklens: warning: " + warning));
        }
        err.flush();
        if (json) {
            Json.print(out, usages.stream().map(VmsCommand::usageFields).toList());
            return;
        }
        if (usages.isEmpty()) {
            out.println("No domain uses " + uses + ".");
        }
        for (VirtualMachines.Usage usage : usages) {
            out.printf("Used by: VM %s (%s)%s%n", usage.domain().name(), usage.disk().where(),
                    usage.depth() == 0 ? "" : " as backing layer %d of %s".formatted(usage.depth(), usage.disk().source().orElse("")));
        }
    }

    private static void printDomains(PrintWriter out, List<Domain> domains) {
        for (Domain domain : domains) {
            out.printf("%s  %s%n", domain.name(), domain.uuid());
            for (DomainDisk disk : domain.disks()) {
                out.printf("    %-8s %-6s %-6s %s%n", disk.targetDev(), disk.device(), disk.driverType().orElse("-"),
                        disk.source().orElse("(no source)"));
            }
        }
    }

    private static Map<String, Object> domainFields(Domain domain) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", domain.name());
        fields.put("uuid", domain.uuid());
        fields.put("file", domain.file().toString());
        fields.put("disks", domain.disks().stream().map(VmsCommand::diskFields).toList());
        return fields;
    }

    private static Map<String, Object> diskFields(DomainDisk disk) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("device", disk.device());
        disk.driverType().ifPresent(type -> fields.put("driver-type", type));
        disk.source().ifPresent(source -> fields.put("source", source));
        fields.put("target", disk.targetDev());
        fields.put("bus", disk.targetBus());
        fields.put("backing", disk.backingStores().stream().map(store -> {
            Map<String, Object> layer = new LinkedHashMap<>();
            store.format().ifPresent(format -> layer.put("format", format));
            store.source().ifPresent(source -> layer.put("source", source));
            return layer;
        }).toList());
        return fields;
    }

    private static Map<String, Object> usageFields(VirtualMachines.Usage usage) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("domain", usage.domain().name());
        fields.put("file", usage.domain().file().toString());
        fields.put("target", usage.disk().targetDev());
        fields.put("bus", usage.disk().targetBus());
        fields.put("device", usage.disk().device());
        fields.put("source", usage.disk().source().orElse(""));
        fields.put("depth", usage.depth());
        usage.disk().driverType().ifPresent(type -> fields.put("declared-type", type));
        usage.actualFormat().ifPresent(format -> fields.put("actual-format", format));
        fields.put("mismatch", usage.mismatch());
        return fields;
    }
}
