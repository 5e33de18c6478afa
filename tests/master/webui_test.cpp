// The simulated master's web view (src/master/webui.cpp, webui_render.cpp):
//
//  * `/` and `/index.html` are the page (text/html; charset=utf-8) and
//    `/app.js` its script (text/javascript; charset=utf-8), for GET and HEAD;
//    every other method gets 405 with `Allow`, on every route of the view.
//  * The page says it is this project's simulated cluster, not Apache Mesos,
//    and links to the JSON endpoints.
//  * The tables are rendered on the server from the state: a known framework,
//    agent and task are in them, the task with its state, last status message
//    and links to its sandbox's stdout and stderr.
//  * Every string from the state is escaped: a task or framework named with
//    markup shows as text, and the only <script> element is the page's own.
//  * `/webui/tasks` gives each task's last status message and sandbox.

#include "master/webui.hpp"

#include <gtest/gtest.h>

#include <string>

#include "webui_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char kHostile[] = "<script>alert('x')</script>&\"";
const char kHostileEscaped[] = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;";

TEST_F(WebViewTest, PageAndScriptAreServedWithTheirContentTypes) {
  ASSERT_NO_FATAL_FAILURE(startWithWorkDir());
  for (const char* path : {"/", "/index.html", "/?refresh=1"}) {
    const HttpResult page = get(path);
    EXPECT_EQ(200, page.status) << path;
    EXPECT_EQ("text/html; charset=utf-8", page.header("Content-Type")) << path;
    EXPECT_EQ("nosniff", page.header("X-Content-Type-Options")) << path;
    EXPECT_THAT(page.body, HasSubstr("<!DOCTYPE html>")) << path;
    EXPECT_THAT(page.body, HasSubstr("<script src=\"/app.js\"></script>")) << path;
  }
  const HttpResult script = get("/app.js");
  EXPECT_EQ(200, script.status);
  EXPECT_EQ("text/javascript; charset=utf-8", script.header("Content-Type"));
  EXPECT_THAT(script.body, HasSubstr("/master/state"));
  EXPECT_THAT(script.body, HasSubstr("/metrics/snapshot"));
  // Data goes in as text only.
  EXPECT_THAT(script.body, Not(HasSubstr("innerHTML")));
  for (const char* path : {"/", "/app.js"}) {
    const HttpResult head = get(path, "HEAD");
    EXPECT_EQ(200, head.status) << path;
    EXPECT_EQ("", head.body) << path;
    EXPECT_THAT(head.header("Content-Type"), HasSubstr("charset=utf-8")) << path;
  }
}

TEST_F(WebViewTest, OnlyGetAndHeadAreServed) {
  ASSERT_NO_FATAL_FAILURE(startWithWorkDir());
  for (const char* path : {"/", "/index.html", "/app.js"}) {
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
      const HttpResult result = httpRequest(port_, method, path, "text/plain", "x");
      EXPECT_EQ(405, result.status) << method << " " << path;
      EXPECT_EQ("GET, HEAD", result.header("Allow")) << method << " " << path;
    }
  }
  for (const char* path : {"/webui/tasks", "/files/read?path=/x", "/files/download?path=/x"}) {
    for (const char* method : {"POST", "PUT", "DELETE", "HEAD"}) {
      const HttpResult result = httpRequest(port_, method, path, "text/plain", "x");
      EXPECT_EQ(405, result.status) << method << " " << path;
      EXPECT_EQ("GET", result.header("Allow")) << method << " " << path;
    }
  }
  EXPECT_EQ(200, get("/").status);
}

TEST_F(WebViewTest, PageSaysWhatItIsAndLinksTheJsonEndpoints) {
  ASSERT_NO_FATAL_FAILURE(startWithWorkDir());
  const std::string page = get("/").body;
  EXPECT_THAT(page, HasSubstr("not Apache Mesos"));
  EXPECT_THAT(page, HasSubstr("mesos-local-master"));
  for (const char* endpoint : {"/master/state", "/metrics/snapshot", "/health", "/version"}) {
    EXPECT_THAT(page, HasSubstr(std::string("<a href=\"") + endpoint + "\">")) << endpoint;
  }
  // Nothing yet: the empty tables say so; the cluster's figures are there.
  EXPECT_THAT(page, HasSubstr("No frameworks"));
  EXPECT_THAT(page, HasSubstr("No tasks"));
  EXPECT_THAT(page, HasSubstr("<th>Master</th><td>" + masterId() + "</td>"));
  EXPECT_THAT(page, HasSubstr("<th>Agents</th><td>1</td>"));
  EXPECT_THAT(page, HasSubstr("<th class=\"mono\">master/uptime_secs</th>"));
}

TEST_F(WebViewTest, TablesAreRenderedOnTheServerWithEveryStringEscaped) {
  ASSERT_NO_FATAL_FAILURE(startWithWorkDir());
  FrameworkInfo info = frameworkInfo();
  info.set_name(std::string("framework ") + kHostile);
  ASSERT_NO_FATAL_FAILURE(startRegistered(info));
  TaskInfo task = commandTask("t1", SlaveID(), "echo hello");
  task.set_name(kHostile);
  const TaskStatus finished = runToEnd(task);
  const std::string sandbox = sandboxOf(finished);
  ASSERT_NE("", sandbox) << finished.message();
  const std::string frameworkId = str(firstOf(state(), "frameworks"), "id");
  ASSERT_NE("", frameworkId);

  const std::string page = get("/").body;
  // The framework and the agent.
  EXPECT_THAT(page, HasSubstr("<td class=\"id\">" + frameworkId + "</td><td>framework " +
                              kHostileEscaped + "</td>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"yes\">yes</td>"));
  const std::string agentId = str(firstOf(state(), "slaves"), "id");
  EXPECT_THAT(page, HasSubstr("<td class=\"id\">" + agentId + "</td><td>127.0.0.1</td>"));
  // The task: its row, name, state, last message and sandbox links.
  EXPECT_THAT(page, HasSubstr("<tr data-task=\"" + frameworkId +
                              "/t1\"><td class=\"id\">t1</td>"
                              "<td>" +
                              kHostileEscaped + "</td>"));
  EXPECT_THAT(page, HasSubstr("<span class=\"state state-TASK_FINISHED\">TASK_FINISHED</span>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"message\">Command exited with status 0 (sandbox: " +
                              sandbox + ")</td>"));
  EXPECT_THAT(page, HasSubstr("<a href=\"/files/download?path=" + encoded(sandbox + "/stdout") +
                              "\">stdout</a>"));
  EXPECT_THAT(page, HasSubstr("<a href=\"/files/download?path=" + encoded(sandbox + "/stderr") +
                              "\">stderr</a>"));
  // No markup of the framework's got through.
  EXPECT_EQ(1u, occurrences(page, "<script")) << page;
  EXPECT_EQ(0u, occurrences(page, "alert('x')"));

  // The script's share: the message and sandbox of each task.
  const HttpResult tasks = get("/webui/tasks");
  EXPECT_EQ(200, tasks.status);
  EXPECT_EQ("application/json", tasks.header("Content-Type"));
  const Struct parsed = parseState(tasks.body);
  EXPECT_EQ("t1", str(firstOf(parsed, "tasks"), "id"));
  EXPECT_EQ(frameworkId, str(firstOf(parsed, "tasks"), "framework_id"));
  EXPECT_EQ(sandbox, str(firstOf(parsed, "tasks"), "sandbox"));
  EXPECT_EQ(finished.message(), str(firstOf(parsed, "tasks"), "message"));
}

// Every field the page shows from the state, hostile, through the renderer.
TEST(WebViewRenderTest, EveryFieldIsEscaped) {
  using internal::master::WebView;
  WebView view;
  view.masterId = view.version = view.leader = kHostile;
  internal::master::WebFrameworkRow framework;
  framework.id = framework.name = framework.principal = kHostile;
  framework.roles = {kHostile};
  view.frameworks.push_back(framework);
  internal::master::WebAgentRow agent;
  agent.id = agent.hostname = agent.attributes = kHostile;
  view.agentRows.push_back(agent);
  internal::master::WebTaskRow task;
  task.id = task.name = task.frameworkId = task.agentId = task.message = kHostile;
  task.state = kHostile;
  task.sandbox = std::string("/tmp/") + kHostile;
  view.tasks.push_back(task);
  view.tasksByState[kHostile] = 1;
  view.metrics[kHostile] = 1;
  const std::string page = internal::master::renderPage(view);
  EXPECT_EQ(1u, occurrences(page, "<script")) << page;
  EXPECT_EQ(0u, occurrences(page, "alert('x')")) << page;
  EXPECT_GE(occurrences(page, kHostileEscaped), 15u) << page;
  // In the link, the path is percent-encoded, then escaped.
  EXPECT_THAT(page, HasSubstr("/files/download?path=/tmp/%3Cscript%3Ealert%28%27x%27%29%3C/"
                              "script%3E%26%22/stdout\""));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
