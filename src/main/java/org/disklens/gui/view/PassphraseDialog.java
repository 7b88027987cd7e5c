package org.disklens.gui.view;

import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.disklens.gui.model.PassphraseRequest;

/**
 * Asks the passphrase of an encrypted image or volume: "Passphrase for LUKS2 volume on Partition 3 (UUID …)", a
 * field that does not show what is typed, Unlock and Skip. After a wrong passphrase it says so. The answer goes to the
 * request when the dialog closes (closing it any other way skips); the field is cleared then.
 */
final class PassphraseDialog extends Dialog<ButtonType> {
    static final ButtonType UNLOCK = new ButtonType("Unlock", ButtonBar.ButtonData.OK_DONE);
    static final ButtonType SKIP = new ButtonType("Skip", ButtonBar.ButtonData.CANCEL_CLOSE);

    private final PassphraseRequest request;

    PassphraseDialog(Window owner, PassphraseRequest request) {
        this.request = request;
        if (owner != null) {
            initOwner(owner);
            getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        }
        setTitle("Encrypted data");
        setHeaderText(request.prompt());
        PasswordField field = new PasswordField();
        field.setId("passphrase-field");
        field.setPromptText("Passphrase");
        Label problem = Views.label(request.problem(), "problem-text");
        problem.setId("passphrase-problem");
        problem.setWrapText(true);
        problem.setVisible(!request.problem().isEmpty());
        problem.setManaged(!request.problem().isEmpty());
        Label skip = Views.label("Skip leaves it locked; what is not encrypted is still shown.", "muted");
        skip.setWrapText(true);
        getDialogPane().setContent(new VBox(8, problem, field, skip));
        getDialogPane().setId("passphrase-dialog");
        getDialogPane().getButtonTypes().setAll(UNLOCK, SKIP);
        Node unlock = getDialogPane().lookupButton(UNLOCK);
        unlock.setId("passphrase-unlock");
        getDialogPane().lookupButton(SKIP).setId("passphrase-skip");
        setResultConverter(button -> button);
        setOnShown(event -> field.requestFocus());
        setOnHidden(event -> {
            if (getResult() == UNLOCK && !field.getText().isEmpty()) {
                // A PasswordField holds a String, which Java cannot zero: the characters are copied out, handed on
                // (and zeroed there) and the field emptied at once.
                request.unlock(field.getText().toCharArray());
            } else {
                request.skip();
            }
            field.clear();
        });
    }

    PassphraseRequest request() {
        return request;
    }
}
