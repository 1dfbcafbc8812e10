import puppeteer from "puppeteer-core";
const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox"],
  pipe: true,
  env: { HOME: Deno.env.get("HOME") ?? "/tmp" },
});
const page = await browser.newPage();
await page.goto("data:text/html,<p>hi</p>");
console.log(await page.$eval("p", (e) => e.textContent));
await browser.close();
