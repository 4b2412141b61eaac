package dev.nanobroker.producer.ui;

import static org.junit.jupiter.api.Assertions.*;

import dev.nanobroker.fx.WindowPlacement;
import dev.nanobroker.producer.ProducerSettings;
import dev.nanobroker.ring.Frame;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.ReadMode;
import dev.nanobroker.ring.RingReader;
import dev.nanobroker.ring.SharedRing;
import dev.nanobroker.ring.WaitStrategy;
import dev.nanobroker.ring.testing.Await;
import dev.nanobroker.ring.testing.TestRings;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The producer window in the demo's tiles (issue 12, item 6): with a run going and three readers
 * in the table, no text anywhere in the window is cut short (no "…"), the reader table's columns
 * fit its width, and the status area and preview lie inside the window. The sizes are the demo's
 * tiles (a quarter of the screen less the decorations) on 1280x720 ({@code --screen 1280x720}),
 * 1366x768, 1600x900 and 1920x1080 screens, and {@code produce}'s own default; from 1920x1080 up
 * the controls must also all be in view without scrolling.
 */
@ExtendWith(ApplicationExtension.class)
class ProducerWindowFitTest {

    private static final int READERS = 3;

    private final TestRings rings = new TestRings();
    private final List<RingReader> readers = new ArrayList<>();
    private SharedRing ring;
    private Stage stage;
    private ProducerWindow window;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void stop(FxRobot robot) throws Exception {
        readers.forEach(RingReader::close);
        if (ring != null) {
            ring.close();
        }
        if (window != null) {
            robot.interact(window::shutdown);
        }
        rings.close();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"636, 328, false", "679, 352, false", "796, 418, false", "956, 508, true", "1200, 740, true"})
    void nothingIsCutOffInADemoTile(int width, int height, boolean controlsAllInView, FxRobot robot) throws Exception {
        String name = rings.newName("fit");
        ProducerSettings settings = ProducerSettings.defaults(name).withSize(320, 180).withSlots(4).withFps(240)
                .withPolicy(OverflowPolicy.drop()).withPattern("clock");
        robot.interact(() -> window = ProducerApp.show(stage, settings, WindowPlacement.sized(width, height)));
        assertEquals("NanoBroker producer — " + name, stage.getTitle(), "the title names the role and the ring");
        robot.interact(window.startStop::fire);
        Await.until(() -> Files.exists(rings.pathOf(name)), "the ring");
        ring = SharedRing.open(name);
        for (int i = 0; i < READERS; i++) {
            readers.add(ring.attachReader(ReadMode.LATEST));
        }

        // Readers that take a frame now and then skip the ones between: the widest words the
        // table has ("skipping (by design)") in every row.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> problems = List.of("not checked yet");
        while (System.nanoTime() < deadline) {
            for (RingReader reader : readers) {
                Frame frame = reader.poll(TimeUnit.MILLISECONDS.toNanos(1), WaitStrategy.defaultStrategy());
                if (frame != null) {
                    reader.release();
                }
            }
            problems = WaitForAsyncUtils.asyncFx(() -> problems(controlsAllInView)).get(10, TimeUnit.SECONDS);
            if (problems.isEmpty()) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertEquals(List.of(), problems, "at " + width + "x" + height);
    }

    /** What is not yet as it should be, on the FX thread; empty when the window is as the test wants it. */
    private List<String> problems(boolean controlsAllInView) {
        List<String> problems = new ArrayList<>();
        if (!window.status.getText().startsWith("published")) {
            problems.add("status line: " + window.status.getText());
        }
        if (window.readers.getItems().size() != READERS
                || !window.readers.getItems().stream().allMatch(row -> row.delivery().equals("skipping (by design)"))) {
            problems.add("reader rows: " + window.readers.getItems());
        }
        Parent root = window.getScene().getRoot();
        cutTexts(root, problems);
        Bounds scene = new BoundingBox(0, 0, window.getScene().getWidth(), window.getScene().getHeight());
        for (Node node : List.of(window.status, window.readers, window.getRight(), window.preview())) {
            Bounds bounds = node.localToScene(node.getLayoutBounds());
            if (!scene.contains(bounds)) {
                problems.add(node.getClass().getSimpleName() + " " + bounds + " is not inside the window");
            }
        }
        if (window.preview().getWidth() < 160 || window.preview().getHeight() < 90) {
            problems.add("preview only " + window.preview().getWidth() + "x" + window.preview().getHeight());
        }
        double columns = window.readers.getColumns().stream().mapToDouble(TableColumn::getWidth).sum();
        double inside = window.readers.getWidth() - window.readers.snappedLeftInset() - window.readers.snappedRightInset();
        if (columns > inside + 0.5) {
            problems.add("reader columns " + columns + " px wide in a table " + inside + " px wide");
        }
        if (visibleScrollBar(window.readers, Orientation.HORIZONTAL)) {
            problems.add("the reader table scrolls sideways");
        }
        if (controlsAllInView && visibleScrollBar((ScrollPane) window.getRight(), Orientation.VERTICAL)) {
            problems.add("the controls scroll: " + ((ScrollPane) window.getRight()).getContent().getLayoutBounds()
                    + " in " + ((ScrollPane) window.getRight()).getViewportBounds());
        }
        return problems;
    }

    /** Every visible Labeled whose drawn text is not its whole text (ellipsised, or clipped to fewer lines). */
    private static void cutTexts(Node node, List<String> problems) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled labeled && labeled.getText() != null && !labeled.getText().isEmpty()) {
            for (Node child : labeled.getChildrenUnmodifiable()) {
                if (child instanceof Text drawn && !labeled.getText().equals(drawn.getText())) {
                    problems.add("'" + labeled.getText() + "' drawn as '" + drawn.getText() + "' in "
                            + labeled.getClass().getSimpleName() + " " + labeled.getWidth() + " px wide");
                }
            }
        }
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                cutTexts(child, problems);
            }
        }
    }

    private static boolean visibleScrollBar(Node control, Orientation orientation) {
        for (Node node : control.lookupAll(".scroll-bar")) {
            if (node instanceof ScrollBar bar && bar.getOrientation() == orientation && bar.isVisible()
                    && bar.getParent() != null && bar.getParent().isVisible()) {
                return true;
            }
        }
        return false;
    }
}
