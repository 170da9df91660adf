using System.Text;

namespace PSTorch.NN;

/// <summary>A list of registered parameters (torch.nn.ParameterList).</summary>
public class ParameterList : Module
{
    public ParameterList(params Parameter[] parameters)
    {
        foreach (var p in parameters) Append(p);
    }

    public int Count => NamedParametersDirect().Count();

    public Parameter this[int index] => NamedParametersDirect().ElementAt(index < 0 ? index + Count : index).Parameter;

    public ParameterList Append(Parameter parameter)
    {
        RegisterParameter(Count.ToString(), parameter);
        return this;
    }

    public override string ToString()
    {
        var sb = new StringBuilder("ParameterList(");
        foreach (var (name, p) in NamedParametersDirect()) sb.Append($"\n    ({name}): {p.Summary()}");
        return sb.Append(Count > 0 ? "\n)" : ")").ToString();
    }
}
