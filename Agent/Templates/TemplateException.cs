namespace Nomad.Agent.Templates;

/// <summary>A template that failed to parse or execute; the message is worded as Go's text/template words it.</summary>
public class TemplateException(string message) : Exception(message);

/// <summary>Thrown by a template function to fail the call (reported as "error calling NAME: MESSAGE").</summary>
public sealed class TemplateFunctionException(string message) : Exception(message);

/// <summary>A function argument of the wrong type (reported without the "error calling" prefix, as Go does).</summary>
public sealed class TemplateArgumentException(string message) : Exception(message);
