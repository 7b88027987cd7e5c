package org.disklens.content.fat;

/**
 * IBM code page 437, the OEM code page short names are read in (as Linux's default {@code codepage=437}). Kept as a
 * table here rather than the JDK's {@code IBM437}, which lives in an optional module a trimmed runtime may lack.
 */
final class Cp437 {
    private static final String HIGH = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»"
            + "░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
            + "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

    private Cp437() {
    }

    static char decode(int value) {
        return value < 0x80 ? (char) value : HIGH.charAt(value - 0x80);
    }
}
