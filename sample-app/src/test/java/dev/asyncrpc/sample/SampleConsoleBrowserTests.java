package dev.asyncrpc.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser: headless Chromium, driven by Selenium, against the running sample
 * (its console is on, on the management port). Screenshots go to
 * {@code target/console-screenshots}; {@code docs/console.md} shows one of them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1", "asyncrpc.sample.demo.enabled=false" })
@ExtendWith(BrowserCondition.class)
@Timeout(120)
class SampleConsoleBrowserTests {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static WebDriver browser;

    @Value("${local.server.port}")
    private int managementPort;

    @BeforeAll
    static void startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserCondition.CHROMIUM.toFile());
        // root in a container: no sandbox; small /dev/shm: use /tmp
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1600");
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(BrowserCondition.CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1600));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String console() {
        return "http://127.0.0.1:" + this.managementPort + "/actuator/asyncrpcconsole";
    }

    private WebDriverWait waiting(Duration timeout) {
        return new WebDriverWait(browser, timeout, Duration.ofMillis(50));
    }

    private void open() {
        browser.get(console());
        waiting(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("op-greeter-greet")));
    }

    @Test
    void listsTheGreeterServiceAndItsOperationsWithJsonSchemaForTheirParameters() throws IOException {
        open();
        List<String> operations = browser.findElements(By.cssSelector("#service-greeter article.operation"))
            .stream()
            .map((e) -> e.getAttribute("data-operation"))
            .toList();
        assertThat(operations).containsExactlyInAnyOrder("greeter/greet", "greeter/greetLater", "greeter/greetEach");
        WebElement greetLater = browser.findElement(By.id("op-greeter-greetLater"));
        greetLater.findElement(By.tagName("summary")).click();
        String delaySchema = greetLater.findElement(By.cssSelector("pre.schema[data-parameter='delayMillis']")).getText();
        assertThat(delaySchema).contains("\"type\": \"integer\"").contains("\"format\": \"int64\"");
        String nameSchema = greetLater.findElement(By.cssSelector("pre.schema[data-parameter='name']")).getText();
        assertThat(nameSchema).contains("\"type\": \"string\"");
        String result = greetLater.findElement(By.cssSelector("pre.schema[data-parameter='(result)']")).getText();
        assertThat(result).contains("\"title\": \"Greeting\"").contains("\"message\"").contains("\"name\"");
        WebElement greetEach = browser.findElement(By.id("op-greeter-greetEach"));
        assertThat(greetEach.getText()).contains("in-pipe (caller → implementer)").contains("out-pipe (implementer → caller)");
        assertThat(browser.findElement(By.cssSelector("#imports-table tr[data-service='greeter']")).getText())
            .contains("127.0.0.1:");
        screenshot("browse");
    }

    @Test
    void invokesGreetAndShowsTheGreetingOrTheApplicationError() throws IOException {
        open();
        call("greet", "{\"name\":\"Ada\"}", null);
        awaitStatus("greet", "OK");
        assertThat(browser.findElement(By.id("result-greeter-greet")).getText()).contains("Hello, Ada!");
        assertThat(browser.findElement(By.id("duration-greeter-greet")).getText()).endsWith(" ms");
        screenshot("greet");
        call("greet", "{\"name\":\"  \"}", null);
        awaitStatus("greet", "APPLICATION_ERROR");
        assertThat(browser.findElement(By.id("message-greeter-greet")).getText()).contains("name must not be blank");
    }

    @Test
    void aPendingCallShowsInTheLiveViewUntilItCompletes() throws IOException {
        open();
        call("greetLater", "{\"name\":\"Grace\",\"delayMillis\":3000}", null);
        By pendingRow = By.cssSelector("#live-pending tr[data-operation='greeter/greetLater']");
        waiting(Duration.ofSeconds(3)).until(ExpectedConditions.presenceOfElementLocated(pendingRow));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('op-greeter-greetLater').scrollIntoView()");
        screenshot("live");
        assertThat(browser.findElement(pendingRow).getText()).contains("console").contains("PENDING");
        waiting(Duration.ofSeconds(15)).until(ExpectedConditions.numberOfElementsToBe(pendingRow, 0));
        assertThat(browser.findElement(By.id("status-greeter-greetLater")).getText()).isEqualTo("OK");
        assertThat(browser.findElement(By.id("result-greeter-greetLater")).getText()).contains("Hello, Grace, sorry for the wait!");
        // the operation's statistics count the call
        By stats = By.cssSelector("#live-operations tr[data-operation='greeter/greetLater']");
        waiting(Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(stats));
        assertThat(browser.findElement(stats).findElements(By.tagName("td")).get(2).getText()).isEqualTo("1");
    }

    @Test
    void greetEachFedWithThreeNamesStreamsThreeGreetingsBack() throws IOException {
        open();
        call("greetEach", "{}", "\"Ada\"\n\"Grace\"\n\"Barbara\"\n");
        awaitStatus("greetEach", "OK");
        List<String> greetings = browser.findElements(By.cssSelector("#elements-greeter-greetEach li")).stream()
            .map(WebElement::getText)
            .toList();
        assertThat(greetings).hasSize(3);
        assertThat(greetings.get(0)).contains("Hello, Ada!");
        assertThat(greetings.get(1)).contains("Hello, Grace!");
        assertThat(greetings.get(2)).contains("Hello, Barbara!");
        assertThat(browser.findElement(By.id("result-greeter-greetEach")).getText()).isEqualTo("3");
        screenshot("pipes");
    }

    private void call(String operation, String arguments, String input) {
        WebElement args = browser.findElement(By.id("args-greeter-" + operation));
        args.clear();
        args.sendKeys(arguments);
        if (input != null) {
            WebElement in = browser.findElement(By.id("input-greeter-" + operation));
            in.clear();
            in.sendKeys(input);
        }
        browser.findElement(By.id("call-greeter-" + operation)).click();
    }

    private void awaitStatus(String operation, String status) {
        By id = By.id("status-greeter-" + operation);
        waiting(Duration.ofSeconds(15)).until(ExpectedConditions.textToBe(id, status));
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOTS);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
