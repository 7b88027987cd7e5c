package org.disklens.gui.view;

import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.control.TextField;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.AbstractPropertyEditor;
import org.controlsfx.property.editor.PropertyEditor;
import org.disklens.gui.model.HeaderField;
import org.disklens.gui.model.ImageViewModel;

/** Every header field and extension, read-only, grouped and searchable (ControlsFX PropertySheet). */
final class HeaderPane extends VBox {

    HeaderPane(ImageViewModel model) {
        PropertySheet sheet = new PropertySheet();
        sheet.setId("header-sheet");
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        sheet.setPropertyEditorFactory(HeaderPane::valueField);
        Runnable refill = () -> sheet.getItems().setAll(model.header().stream().map(Item::new).toList());
        model.header().addListener((ListChangeListener<HeaderField>) change -> refill.run());
        refill.run();
        VBox.setVgrow(sheet, Priority.ALWAYS);
        javafx.scene.control.Label none = Views.label("This format keeps no header: the file is the disk itself.", "muted");
        none.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.header()));
        none.managedProperty().bind(none.visibleProperty());
        sheet.visibleProperty().bind(none.visibleProperty().not());
        getChildren().addAll(Views.heading("Header", Views.label(
                "Fields as stored in the file, named as in the format's specification.", "section-subtitle")), none, sheet);
        getStyleClass().add("section");
    }

    /** Values shown as selectable, read-only text (copyable), not as greyed-out disabled editors. */
    private static PropertyEditor<?> valueField(PropertySheet.Item item) {
        TextField field = new TextField(String.valueOf(item.getValue()));
        field.setEditable(false);
        field.getStyleClass().add("header-value");
        return new AbstractPropertyEditor<String, TextField>(item, field, true) {
            @Override
            protected ObservableValue<String> getObservableValue() {
                return field.textProperty();
            }

            @Override
            public void setValue(String value) {
                field.setText(value);
            }
        };
    }

    /** A header field as a read-only property sheet row. */
    private record Item(HeaderField field) implements PropertySheet.Item {
        @Override
        public Class<?> getType() {
            return String.class;
        }

        @Override
        public String getCategory() {
            return field.category();
        }

        @Override
        public String getName() {
            return field.name();
        }

        @Override
        public String getDescription() {
            return field.description();
        }

        @Override
        public Object getValue() {
            return field.value();
        }

        @Override
        public void setValue(Object value) {
            // Read-only: DiskLens never writes to an image.
        }

        @Override
        public Optional<ObservableValue<?>> getObservableValue() {
            return Optional.empty();
        }

        /**
         * The sheet greys out rows that are not editable; ours stay readable and copyable because the
         * editor itself is a non-editable text field, and {@link #setValue} ignores writes.
         */
        @Override
        public boolean isEditable() {
            return true;
        }
    }
}
